import { consultationIdOf, planConsultations } from './plan-consultations';
import { issuedSeed } from '@thihanh/fixtures';

describe('consultations an issued plan calls for', () => {
  it('finds the nine draft decrees and the Prime Minister’s draft decision in the Sơn La plan, deadlines following the drafting schedule', () => {
    const found = planConsultations('p-son-la', 1, issuedSeed('son-la-plan.txt'));
    expect(found.map((c) => c.taskNumber)).toEqual(['4.a', '4.b', '4.c', '4.d', '4.đ', '4.e', '4.g', '4.h', '4.i', '5']);
    expect(found.map((c) => c.draft.type)).toEqual([...Array(9).fill('Nghị định'), 'Quyết định']);
    expect(found[0]).toMatchObject({
      consultationId: consultationIdOf('p-son-la', '4.a'),
      draft: { title: 'Nghị định của Chính phủ quy định chi tiết một số điều của Luật An ninh mạng' },
      leadAgencyId: 'son-la.cong-an-tinh',
      deadline: null,
      deadlineText: 'theo tiến độ dự thảo Nghị định',
      draftingMinistry: null,
      source: 'plan',
    });
    // The departments, public service units and communes, less the lead: the groups as the directory ships them.
    expect(found[0].coordinatorAgencyIds).not.toContain('son-la.cong-an-tinh');
    expect(found[0].coordinatorAgencyIds).toHaveLength(89);
    const military = found.find((c) => c.taskNumber === '4.g')!;
    expect(military).toMatchObject({ leadAgencyId: 'son-la.bo-chi-huy-quan-su-tinh', draftingMinistry: 'Bộ Quốc phòng' });
    expect(military.coordinatorAgencyIds).toContain('son-la.cong-an-tinh'); // the police are a department, asked like the others
  });

  it('finds the same ten in the Bắc Ninh plan, with their fixed deadline and the articles each decree details', () => {
    const found = planConsultations('p-bac-ninh', 1, issuedSeed('bac-ninh-plan.txt'));
    expect(found.map((c) => c.taskNumber)).toEqual(['4.a', '4.b', '4.c', '4.d', '4.đ', '4.e', '4.g', '4.h', '4.i', '5']);
    expect(found.slice(0, 9).every((c) => c.deadline === '2026-07-01')).toBe(true);
    expect(found[9]).toMatchObject({ draft: { type: 'Quyết định' }, deadline: '2026-12-31' });
    expect(found[0].legalRefs).toContain('khoản 4 Điều 25');
    expect(found[1].legalRefs).toEqual(['khoản 5 Điều 14']);
    expect(found[4]).toMatchObject({ taskNumber: '4.đ', draft: { title: 'Nghị định của Chính phủ về hoạt động kinh doanh sản phẩm, dịch vụ an ninh mạng' } });
    expect(found[5].leadAgencyId).toBe('bac-ninh.bo-chi-huy-quan-su-tinh'); // 4.e, civil cryptography
    expect(found[0].coordinatorAgencyIds).toHaveLength(16); // "các cơ quan có liên quan", less the police
  });

  it('does not take a task that only mentions commenting on drafts in general', () => {
    const bacNinh = issuedSeed('bac-ninh-plan.txt');
    expect(bacNinh.tasks.find((t) => t.number === '3')?.title).toMatch(/tham gia đóng góp ý kiến vào dự thảo các văn bản/);
    expect(planConsultations('p', 1, bacNinh).map((c) => c.taskNumber)).not.toContain('3');
  });

  it('gives the same task of the same plan the same id, and another task another', () => {
    expect(consultationIdOf('p', '4.a')).toBe(consultationIdOf('p', '4.a'));
    expect(consultationIdOf('p', '4.a')).not.toBe(consultationIdOf('p', '4.b'));
    expect(consultationIdOf('p', '4.a')).toMatch(/^[0-9a-f]{8}-[0-9a-f]{4}-8[0-9a-f]{3}-[89ab][0-9a-f]{3}-[0-9a-f]{12}$/);
  });
});
