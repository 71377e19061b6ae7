// Accounts made before Clever, met first by the district sync rather than by a sign-in: the sync matches them
// exactly as a login does, and what it cannot match safely waits for an admin.
import { importUsers } from '../../src/matching/import-accounts';
import type { TestApp } from '../helpers/app';
import { backend } from '../helpers/db';
import { PERSONAS, startSyncTestApp, syncDistrict } from './helpers';

describe(`matching pre-existing accounts in a full sync on ${backend}`, () => {
  let app: TestApp;
  beforeEach(async () => {
    app = await startSyncTestApp();
  });
  afterEach(async () => {
    await app.close();
  });

  /** An account imported for the district before Clever (as `npm run import-users` makes them). */
  const imported = async (email: string, firstName: string) => {
    const [result] = await importUsers(app.db.prisma, [
      {
        line: 2,
        fields: {
          email,
          first_name: firstName,
          last_name: 'Before',
          role: 'teacher',
          district_id: PERSONAS.districtId,
        },
      },
    ]);
    expect(result.outcome).toBe('created');
    return { id: result.accountId! };
  };

  it('queues a review for a Clever user whose email two earlier accounts share, linking neither', async () => {
    const email = String(app.sandbox.store.getUser(PERSONAS.teacher)!.email).toLowerCase();
    const first = await imported(email, 'One');
    const { districtId } = await app.db.prisma.user.findUniqueOrThrow({ where: { id: first.id } });
    const second = await app.db.prisma.user.create({
      data: { managedBy: 'local', roles: ['teacher'], districtId, email, emailNormalized: email },
    });

    expect((await syncDistrict(app)).status).toBe('succeeded');

    const teacher = await app.db.prisma.user.findUniqueOrThrow({ where: { cleverId: PERSONAS.teacher } });
    expect([first.id, second.id]).not.toContain(teacher.id);
    const review = await app.db.prisma.matchReview.findUniqueOrThrow({ where: { userId: teacher.id } });
    expect([...review.candidateUserIds].sort()).toEqual([first.id, second.id].sort());
    for (const account of [first, second]) {
      const after = await app.db.prisma.user.findUniqueOrThrow({ where: { id: account.id } });
      expect(after.cleverId).toBeNull();
    }
  });

  it('links the one earlier account an email matches, keeping its id', async () => {
    const email = String(app.sandbox.store.getUser(PERSONAS.teacher)!.email).toLowerCase();
    const account = await imported(email, 'Only');

    expect((await syncDistrict(app)).status).toBe('succeeded');

    const teacher = await app.db.prisma.user.findUniqueOrThrow({ where: { cleverId: PERSONAS.teacher } });
    expect(teacher.id).toBe(account.id);
    expect(teacher.matchedBy).toBe('email');
    expect(await app.db.prisma.user.count({ where: { emailNormalized: email } })).toBe(1);
  });
});
