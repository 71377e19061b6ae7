// The matching decision on its own: which pre-Clever account a Clever user may be given (no database).
import { planAccountMatch, type Candidate } from '../../src/matching/plan-account-match';

const account = (id: string, roles: string[], inDistrict = true): Candidate => ({ id, roles, inDistrict });
const plan = (roles: string[], byEmail: Candidate[], extra: { domains?: string[]; shared?: boolean } = {}) =>
  planAccountMatch(
    { cleverId: 'c1', emailNormalized: 'pat@school.example.edu', sisId: null, roles },
    { byEmail, bySisId: [], emailSharedByOtherCleverUser: extra.shared ?? false },
    { matchStudentsBySisId: false, verifiedEmailDomains: extra.domains },
  );

describe('planAccountMatch', () => {
  it('links a teacher to the one staff account with their email in their district', () => {
    expect(plan(['teacher'], [account('a', ['teacher'])])).toEqual({
      kind: 'link',
      userId: 'a',
      by: 'email',
    });
    expect(plan(['district_admin'], [account('a', ['staff'])])).toMatchObject({ kind: 'link' });
  });
  it('never gives a contact, or a student, an account made for a teacher', () => {
    expect(plan(['contact'], [account('a', ['teacher'])])).toEqual({ kind: 'create' });
    expect(plan(['student'], [account('a', ['teacher'])])).toEqual({ kind: 'create' });
  });
  it('lets a teacher who is also a parent match their teacher account', () => {
    expect(plan(['teacher', 'contact'], [account('a', ['teacher'])])).toMatchObject({ kind: 'link' });
  });
  it('asks an admin about an account that belongs to no district', () => {
    expect(plan(['teacher'], [account('a', ['teacher'], false)])).toMatchObject({
      kind: 'review',
      candidateIds: ['a'],
    });
  });
  it("links only within the district's verified domains when it named any", () => {
    expect(plan(['teacher'], [account('a', ['teacher'])], { domains: ['other.example.edu'] })).toMatchObject({
      kind: 'review',
    });
    expect(plan(['teacher'], [account('a', ['teacher'])], { domains: ['school.example.edu'] })).toMatchObject(
      {
        kind: 'link',
      },
    );
  });
  it('asks an admin when the email is shared or several accounts have it', () => {
    expect(plan(['teacher'], [account('a', ['teacher'])], { shared: true })).toMatchObject({
      kind: 'review',
    });
    expect(plan(['teacher'], [account('a', ['teacher']), account('b', ['staff'])])).toMatchObject({
      kind: 'review',
      candidateIds: ['a', 'b'],
    });
  });
});
