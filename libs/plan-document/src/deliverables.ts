import { fold, trimEnd } from './vietnamese-text';

/** Words a deliverable starts with. A comma-separated piece that starts otherwise qualifies the one before. */
const DELIVERABLE_HEADS = new RegExp(
  '^(' +
    [
      'hoi nghi', 'hoi thao', 'hoi thi', 'toa dam', 'phong su', 'tai lieu', 'bo tai lieu', 'so tay', 'bao cao',
      'ke hoach', 'van ban', 'bien soan', 'du thao', 'quyet dinh', 'cong van', 'de an', 'chuong trinh',
      'bai viet', 'tin bai', 'tin', 'bai', 'an pham', 'video', 'clip', 'to roi', 'pano', 'ap phich', 'cuoc thi',
      'lop', 'khoa', 'chuyen de', 'chuyen muc', 'ban tin', 'he thong', 'phan mem', 'co so du lieu', 'danh muc',
      'thong bao', 'nghi quyet', 'chi thi', 'thong tu', 'nghi dinh', 'to trinh', 'bieu mau', 'quy che',
      'quy trinh', 'phuong an', 'y kien', 'san pham', 'dot', 'buoi',
    ].join('|') +
    ')\\b',
);

/**
 * "Hội nghị, hội thảo, tọa đàm, phóng sự, tài liệu phổ biến, hướng dẫn, tuyên truyền, nâng cao nhận
 * thức về an ninh mạng, tài liệu truyền thông" → six deliverables: split on ";" and ",", but a piece
 * that does not start with a deliverable noun ("hướng dẫn", "tuyên truyền", "đơn vị tại địa phương")
 * belongs to the piece before it.
 */
export function splitDeliverables(text: string): string[] {
  const items: string[] = [];
  for (const part of text.split(';')) {
    let current: string | null = null;
    for (const piece of part.split(',').map((p) => p.trim())) {
      if (!piece) continue;
      if (current !== null && !DELIVERABLE_HEADS.test(fold(piece))) {
        current = `${current}, ${piece}`;
        continue;
      }
      if (current !== null) items.push(trimEnd(current));
      current = piece;
    }
    if (current !== null) items.push(trimEnd(current));
  }
  return items.filter(Boolean);
}
