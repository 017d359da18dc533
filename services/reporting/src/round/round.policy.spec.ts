import { coordinatesReporting } from './round.policy';

describe('coordinatesReporting', () => {
  const police = 'son-la.cong-an-tinh';

  it('lets operators and the coordinating agency’s coordinators run reporting', () => {
    expect(coordinatesReporting({ agencyId: 'ops', roles: ['operator'] }, police)).toBe(true);
    expect(coordinatesReporting({ agencyId: police, roles: ['coordinator'] }, police)).toBe(true);
  });

  it('refuses a coordinator of another agency, a member of the coordinating one, and anyone when the plan names no coordinator', () => {
    expect(coordinatesReporting({ agencyId: 'son-la.so-tu-phap', roles: ['coordinator'] }, police)).toBe(false);
    expect(coordinatesReporting({ agencyId: police, roles: ['member'] }, police)).toBe(false);
    expect(coordinatesReporting({ agencyId: police, roles: ['coordinator'] }, null)).toBe(false);
    expect(coordinatesReporting({ agencyId: police }, police)).toBe(false);
  });
});
