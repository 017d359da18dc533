import { seedDirectory } from '@thihanh/agency-directory';
import { assignmentIdOf, cyclesOf, planCases } from './plan-fan-out';
import { issuedSeed } from '@thihanh/fixtures';

describe('fan-out of an issued plan into cases', () => {
  const directory = seedDirectory();

  it('opens 1,251 cases for the Sơn La plan in 2026, as derived task by task from the directory', () => {
    const size = (group: string) => directory.expand(`son-la.group.${group}`).length;
    const departments = size('cac-so-ban-nganh'); // 15, police and military command among them
    const communes = size('ubnd-cac-xa-phuong'); // 75
    const units = size('don-vi-su-nghiep-cong-lap'); // 0 shipped
    const press = size('co-quan-bao-chi'); // 0 shipped
    const related = size('co-quan-lien-quan'); // departments + Báo và PTTH = 16
    expect([departments, communes, units, press, related]).toEqual([15, 75, 0, 0, 16]);
    const perTask = {
      '1': 1 + 4 + communes + press, // police; Tư pháp, GD&ĐT, VHTTDL, Báo và PTTH; communes; other press
      '2': departments + units + communes, // police leads and is one of the departments
      '3': departments + communes + (related - departments), // leads: police, departments, communes; + Báo và PTTH
      '4.x': departments + units + communes, // ×9 (4.a–4.i), police or military command leading
      '5': departments + units + communes,
      '6': departments + units + communes,
    };
    const cases = planCases('p-son-la', 1, issuedSeed('son-la-plan.txt', directory), '2026-11-25');
    const count = (n: string) => cases.filter((c) => c.taskNumber === n).length;
    expect(count('1')).toBe(perTask['1']);
    expect(count('2')).toBe(perTask['2']);
    expect(count('3')).toBe(perTask['3']);
    expect(['4.a', '4.b', '4.c', '4.d', '4.đ', '4.e', '4.g', '4.h', '4.i'].map(count)).toEqual(Array(9).fill(perTask['4.x']));
    expect(count('4')).toBe(0); // a parent task is worked through its sub-tasks
    expect(cases).toHaveLength(perTask['1'] + perTask['2'] + perTask['3'] + 9 * perTask['4.x'] + perTask['5'] + perTask['6']);
    expect(cases).toHaveLength(1251);
    expect(new Set(cases.map((c) => c.assignmentId)).size).toBe(cases.length);
  });

  it('opens 632 cases for the Bắc Ninh plan in 2026', () => {
    const size = (group: string) => directory.expand(`bac-ninh.group.${group}`).length;
    const [departments, communes, related] = [size('cac-so-ban-nganh'), size('ubnd-cac-xa-phuong'), size('co-quan-lien-quan')];
    expect([departments, communes, related]).toEqual([16, 99, 17]);
    const cases = planCases('p-bac-ninh', 1, issuedSeed('bac-ninh-plan.txt', directory), '2026-11-25');
    const expected =
      departments + 1 + communes + // 1: five implementers (four are departments, + Báo và PTTH), departments, communes
      (departments + communes) * 2 + // 2 and 3: police with departments and communes
      related * 9 + // 4.a–4.i: police or military command with "các cơ quan có liên quan"
      related + // 5
      related + communes; // 6: police, Tư pháp, departments, communes and the related bodies
    expect(cases).toHaveLength(expected);
    expect(expected).toBe(632);
  });

  it('keeps each agency once per task, with its strongest role', () => {
    const cases = planCases('p', 1, issuedSeed('son-la-plan.txt', directory), '2026-11-25');
    const police = cases.filter((c) => c.taskNumber === '2' && c.agencyId === 'son-la.cong-an-tinh');
    expect(police.map((c) => c.role)).toEqual(['lead']);
    const justice = cases.find((c) => c.taskNumber === '2' && c.agencyId === 'son-la.so-tu-phap')!;
    expect(justice).toMatchObject({ role: 'coordinator', leadAgencyIds: ['son-la.cong-an-tinh'], planCoordinatorAgencyId: 'son-la.cong-an-tinh' });
  });

  it('gives recurring tasks one cycle per year up to today, due at the plan’s yearly cut-off', () => {
    const sonLa = planCases('p', 1, issuedSeed('son-la-plan.txt', directory), '2028-03-01').filter((c) => c.taskNumber === '1' && c.agencyId === 'son-la.cong-an-tinh');
    expect(sonLa.map((c) => [c.cycle, c.dueBefore])).toEqual([['2026', '2026-11-15'], ['2027', '2027-11-15'], ['2028', '2028-11-15']]);
    const bacNinh = planCases('p', 1, issuedSeed('bac-ninh-plan.txt', directory), '2026-06-01').filter((c) => c.taskNumber === '6' && c.agencyId === 'bac-ninh.so-tu-phap');
    expect(bacNinh.map((c) => [c.cycle, c.dueBefore])).toEqual([['2026', '2027-01-15']]); // reports before 15/01 cover the year before
    const fixed = planCases('p', 1, issuedSeed('son-la-plan.txt', directory), '2026-11-25').find((c) => c.taskNumber === '3')!;
    expect([fixed.cycle, fixed.dueBefore]).toEqual(['once', '2026-05-20']);
    const dependent = planCases('p', 1, issuedSeed('son-la-plan.txt', directory), '2026-11-25').find((c) => c.taskNumber === '4.a')!;
    expect([dependent.timeline?.kind, dependent.dueBefore]).toEqual(['dependent', null]);
    expect(cyclesOf({ kind: 'recurring', fromYear: 2027, dueBefore: null, dueMonthDay: null, text: '' }, '2026-12-31')).toEqual(['2027']);
  });

  it('derives the same id for the same case, and different ids for different ones', () => {
    expect(assignmentIdOf('p', '1', 'a', '2026')).toBe(assignmentIdOf('p', '1', 'a', '2026'));
    expect(assignmentIdOf('p', '1', 'a', '2026')).not.toBe(assignmentIdOf('p', '1', 'a', '2027'));
    expect(assignmentIdOf('p', '1', 'a', '2026')).toMatch(/^[0-9a-f]{8}-[0-9a-f]{4}-8[0-9a-f]{3}-[89ab][0-9a-f]{3}-[0-9a-f]{12}$/);
  });
});
