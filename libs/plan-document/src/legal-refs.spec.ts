import { parseLegalRefs } from './legal-refs';

describe('reading the provisions a task cites', () => {
  it('gives one reference per point, clause or article, points belonging to the clause after them', () => {
    expect(
      parseLegalRefs('điểm a, b, c, d, đ, g và khoản 1 Điều 5; khoản 4 Điều 25; khoản 3 Điều 26 và khoản 5 Điều 34 Luật An ninh mạng'),
    ).toEqual([
      'điểm a khoản 1 Điều 5',
      'điểm b khoản 1 Điều 5',
      'điểm c khoản 1 Điều 5',
      'điểm d khoản 1 Điều 5',
      'điểm đ khoản 1 Điều 5',
      'điểm g khoản 1 Điều 5',
      'khoản 4 Điều 25',
      'khoản 3 Điều 26',
      'khoản 5 Điều 34',
    ]);
  });

  it('holds clauses until their article is named', () => {
    expect(parseLegalRefs('điểm a khoản 1, điểm c khoản 2 và khoản 3 Điều 28, khoản 3 Điều 29')).toEqual([
      'điểm a khoản 1 Điều 28',
      'điểm c khoản 2 Điều 28',
      'khoản 3 Điều 28',
      'khoản 3 Điều 29',
    ]);
    expect(parseLegalRefs('khoản 1, 2 và 3 Điều 7')).toEqual(['khoản 1 Điều 7', 'khoản 2 Điều 7', 'khoản 3 Điều 7']);
  });

  it('reads whole articles, lists of them, and ignores "điều" as an ordinary word', () => {
    expect(parseLegalRefs('khoản 3 Điều 28 và Điều 29')).toEqual(['khoản 3 Điều 28', 'Điều 29']);
    expect(parseLegalRefs('tại Điều 5, Điều 8 và các Điều 9, 10')).toEqual(['Điều 5', 'Điều 8', 'Điều 9', 'Điều 10']);
    expect(parseLegalRefs('quy định chi tiết một số điều của Luật An ninh mạng')).toEqual([]);
  });

  it('reads decomposed and upper-case text the same way', () => {
    expect(parseLegalRefs('ĐIỂM đ KHOẢN 2 ĐIỀU 9'.normalize('NFC'))).toEqual(['điểm đ khoản 2 Điều 9']);
    expect(parseLegalRefs('điểm đ khoản 2 Điều 9'.normalize('NFD'))).toEqual(['điểm đ khoản 2 Điều 9']);
  });
});
