import request from 'supertest';
import { CALLBACK, CLIENT, setup } from './helpers';

const basic = (id = CLIENT.id, secret = CLIENT.secret) =>
  `Basic ${Buffer.from(`${id}:${secret}`).toString('base64')}`;

function authorizeUrl(params: Record<string, string>) {
  return `/oauth/authorize?${new URLSearchParams({ response_type: 'code', client_id: CLIENT.id, ...params })}`;
}

describe('GET /oauth/authorize', () => {
  const s = setup();

  it('signs in as user=<id> and returns code, scope and the echoed state to the redirect URI', async () => {
    const res = await request(s.app)
      .get(authorizeUrl({ redirect_uri: CALLBACK, state: 'xyz', user: s.p.teacher }))
      .expect(302);
    const url = new URL(res.headers.location);
    expect(url.origin + url.pathname).toBe(CALLBACK);
    expect(url.searchParams.get('code')).toMatch(/^\w{10,}$/);
    expect(url.searchParams.get('scope')).toContain('read:user_id');
    expect(url.searchParams.get('state')).toBe('xyz');
    expect(res.headers['set-cookie']).toBeUndefined();
  });

  it('sends no state when the app sent none, and uses the primary URI when redirect_uri is omitted', async () => {
    const res = await request(s.app)
      .get(authorizeUrl({ user: s.p.teacher }))
      .expect(302);
    const url = new URL(res.headers.location);
    expect(url.origin + url.pathname).toBe(CALLBACK);
    expect(url.searchParams.has('state')).toBe(false);
  });

  it('refuses a redirect URI that is not an exact allow-list match (trailing slash counts) with an error page', async () => {
    for (const bad of [`${CALLBACK}/`, 'http://localhost:3000/other/callback', 'https://evil.example/cb']) {
      const res = await request(s.app)
        .get(authorizeUrl({ redirect_uri: bad, user: s.p.teacher }))
        .expect(400);
      expect(res.headers.location).toBeUndefined();
      expect(res.text).toContain('Invalid redirect URI');
    }
    await request(s.app)
      .get(authorizeUrl({ redirect_uri: 'http://localhost:3000/other/callback/', user: s.p.teacher }))
      .expect(302);
  });

  it('shows an error page for an unknown client_id', async () => {
    const res = await request(s.app)
      .get(`/oauth/authorize?response_type=code&client_id=nope&user=${s.p.teacher}`)
      .expect(400);
    expect(res.text).toContain('Unknown application');
  });

  it('lists the district users by role with search and portal-launch links, setting no cookie', async () => {
    const res = await request(s.app)
      .get(authorizeUrl({ district_id: s.p.districtId, state: 's1' }))
      .expect(200);
    expect(res.headers['content-type']).toMatch(/text\/html/);
    expect(res.headers['set-cookie']).toBeUndefined();
    expect(res.text).toMatch(/<html lang="en">/);
    for (const heading of ['Students', 'Teachers', 'Staff', 'District admins', 'Contacts'])
      expect(res.text).toContain(heading);
    expect(res.text).toContain('Zoë O&#39;Connor');
    expect(res.text).toContain('launch from the Clever portal');
    expect(res.text).not.toContain('<script');
    const search = await request(s.app)
      .get(authorizeUrl({ district_id: s.p.districtId, q: 'nunez' }))
      .expect(200);
    expect(search.text).toContain('José Núñez');
    expect(search.text).not.toContain('Ziemann');
  });

  it('escapes the search text it echoes (no script injection through ?q=)', async () => {
    const res = await request(s.app)
      .get(authorizeUrl({ district_id: s.p.districtId, q: '<script>alert(1)</script>' }))
      .expect(200);
    expect(res.text).not.toContain('<script>alert(1)</script>');
    expect(res.text).toContain('&lt;script&gt;');
  });

  it('portal launch lands on the primary redirect URI without state', async () => {
    const page = await request(s.app).get(
      authorizeUrl({
        district_id: s.p.districtId,
        state: 'abc',
        redirect_uri: 'http://localhost:3000/other/callback/',
      }),
    );
    const link = /href="(\/oauth\/instant-login[^"]+)"/.exec(page.text)![1].replace(/&amp;/g, '&');
    const res = await request(s.app).get(link).expect(302);
    const url = new URL(res.headers.location);
    expect(url.origin + url.pathname).toBe(CALLBACK);
    expect(url.searchParams.has('state')).toBe(false);
    expect(url.searchParams.get('code')).toBeTruthy();
  });

  it('Instant Login links (no user) show the picker; with user they redirect without state', async () => {
    await request(s.app)
      .get(`/oauth/instant-login?client_id=${CLIENT.id}&district_id=${s.p.districtId}`)
      .expect(200);
    const res = await request(s.app)
      .get(`/oauth/instant-login?client_id=${CLIENT.id}&district_id=${s.p.districtId}&user=${s.p.student}`)
      .expect(302);
    expect(new URL(res.headers.location).searchParams.has('state')).toBe(false);
  });

  it('an unshared user gets an error page, or error=unauthorized-user with return_unshared=true', async () => {
    const page = await request(s.app)
      .get(authorizeUrl({ user: s.p.unsharedStudent, state: 'q' }))
      .expect(403);
    expect(page.text).toContain('not been shared');
    const res = await request(s.app)
      .get(authorizeUrl({ user: s.p.unsharedStudent, state: 'q', return_unshared: 'true' }))
      .expect(302);
    const url = new URL(res.headers.location);
    expect(url.searchParams.get('error')).toBe('unauthorized-user');
    expect(url.searchParams.get('state')).toBe('q');
    expect(url.searchParams.has('code')).toBe(false);
  });

  it('confirmed=false asks a student "is this you?" before redirecting', async () => {
    const res = await request(s.app)
      .get(authorizeUrl({ user: s.p.student, confirmed: 'false' }))
      .expect(200);
    expect(res.text).toContain('Is this you?');
    const next = /href="([^"]+confirmed=true[^"]*)"/.exec(res.text)![1].replace(/&amp;/g, '&');
    await request(s.app).get(next).expect(302);
  });
});

describe('POST /oauth/tokens', () => {
  const s = setup();
  const codeFor = async (user: string, redirect = CALLBACK) => {
    const res = await request(s.app).get(authorizeUrl({ user, redirect_uri: redirect }));
    return new URL(res.headers.location).searchParams.get('code')!;
  };
  const exchange = (body: object | string, type = 'json', auth = basic()) =>
    request(s.app).post('/oauth/tokens').set('Authorization', auth).type(type).send(body);

  it('exchanges a code once for an il… bearer token (JSON body), then answers invalid_grant', async () => {
    const code = await codeFor(s.p.teacher);
    const body = { code, grant_type: 'authorization_code', redirect_uri: CALLBACK };
    const ok = await exchange(body).expect(200);
    expect(ok.body).toEqual({ access_token: expect.stringMatching(/^il\w+/), token_type: 'bearer' });
    const again = await exchange(body).expect(400);
    expect(again.body).toEqual({ error: 'invalid_grant', error_description: 'invalid code' });
  });

  it('accepts a form-urlencoded body', async () => {
    const code = await codeFor(s.p.student);
    await exchange(
      `code=${code}&grant_type=authorization_code&redirect_uri=${encodeURIComponent(CALLBACK)}`,
      'form',
    ).expect(200);
  });

  it('refuses other content types with invalid_request', async () => {
    const code = await codeFor(s.p.student);
    const res = await exchange(`code=${code}`, 'text/plain').expect(400);
    expect(res.body.error).toBe('invalid_request');
  });

  it('codes expire after 60 seconds', async () => {
    const code = await codeFor(s.p.teacher);
    s.clock.now += 61_000;
    const res = await exchange({ code, grant_type: 'authorization_code', redirect_uri: CALLBACK }).expect(
      400,
    );
    expect(res.body).toEqual({ error: 'invalid_grant', error_description: 'invalid code' });
  });

  it('requires the redirect_uri the code was issued for', async () => {
    const code = await codeFor(s.p.teacher, 'http://localhost:3000/other/callback/');
    await exchange({ code, grant_type: 'authorization_code', redirect_uri: CALLBACK }).expect(400);
    await exchange({
      code,
      grant_type: 'authorization_code',
      redirect_uri: 'http://localhost:3000/other/callback/',
    }).expect(200);
  });

  it('answers 401 invalid_client for a wrong secret, missing Basic auth, or credentials in the body', async () => {
    const code = await codeFor(s.p.teacher);
    const body = { code, grant_type: 'authorization_code', redirect_uri: CALLBACK };
    expect((await exchange(body, 'json', basic(CLIENT.id, 'wrong')).expect(401)).body).toEqual({
      error: 'invalid_client',
    });
    await request(s.app)
      .post('/oauth/tokens')
      .send({ ...body, client_id: CLIENT.id, client_secret: CLIENT.secret })
      .expect(401);
    await exchange(body).expect(200); // the code survived the failed attempts
  });

  it('rejects malformed JSON and unknown grant types with 400, never 500', async () => {
    await exchange('{"code": ', 'json').expect(400);
    await exchange({ grant_type: 'client_credentials' }).expect(400);
  });

  it('the SSO token reads /me in the documented v3 shape and tokeninfo', async () => {
    const code = await codeFor(s.p.multiRoleTeacherStaffAdmin);
    const { access_token } = (
      await exchange({ code, grant_type: 'authorization_code', redirect_uri: CALLBACK })
    ).body;
    const me = await s.get('/v3.0/me', access_token).expect(200);
    expect(me.body).toEqual({
      type: 'user',
      data: {
        id: s.p.multiRoleTeacherStaffAdmin,
        district: s.p.districtId,
        type: 'user',
        authorized_by: 'district',
      },
      links: [
        { rel: 'self', uri: '/me' },
        { rel: 'canonical', uri: `/v3.0/users/${s.p.multiRoleTeacherStaffAdmin}` },
        { rel: 'district', uri: `/v3.0/districts/${s.p.districtId}` },
      ],
    });
    const info = await request(s.app)
      .get('/oauth/tokeninfo')
      .set('Authorization', `Bearer ${access_token}`)
      .expect(200);
    expect(info.body.client_id).toBe(CLIENT.id);
    const user = await s.get(`/v3.1/users/${s.p.multiRoleTeacherStaffAdmin}`, access_token).expect(200);
    expect(Object.keys(user.body.data.roles).sort()).toEqual(['district_admin', 'staff', 'teacher']);
  });

  it('/userinfo answers OIDC-style claims for an SSO token only', async () => {
    const token = s.store.ssoToken(s.p.teacher);
    const res = await request(s.app).get('/userinfo').set('Authorization', `Bearer ${token}`).expect(200);
    expect(res.body).toMatchObject({
      sub: s.p.teacher,
      multi_role_user_id: s.p.teacher,
      user_type: 'teacher',
      district: s.p.districtId,
    });
    await request(s.app).get('/userinfo').set('Authorization', `Bearer ${s.token}`).expect(401);
  });

  it('SSO tokens expire after 24 hours', async () => {
    const token = s.store.ssoToken(s.p.student);
    await s.get('/v3.0/me', token).expect(200);
    s.clock.now += 24 * 3600_000 + 1;
    await s.get('/v3.0/me', token).expect(401);
  });
});

describe('GET /oauth/tokens?owner_type=district', () => {
  const s = setup();

  it("lists one 40-hex district-app token per sandbox district in Clever's shape", async () => {
    const res = await request(s.app)
      .get('/oauth/tokens?owner_type=district')
      .set('Authorization', basic())
      .expect(200);
    expect(res.body.links).toEqual([{ rel: 'self', uri: '/oauth/tokens?owner_type=district' }]);
    expect(res.body.data).toHaveLength(2);
    for (const t of res.body.data) {
      expect(t).toEqual({
        id: expect.stringMatching(/^[0-9a-f]{24}$/),
        created: expect.stringMatching(/^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d\.\d{3}Z$/),
        owner: { type: 'district', id: expect.any(String) },
        access_token: expect.stringMatching(/^[0-9a-f]{40}$/),
        scopes: expect.arrayContaining(['read:sections']),
      });
    }
    expect(res.body.data[0].access_token).toBe(s.token);
  });

  it('filters by district and requires Basic auth', async () => {
    const res = await request(s.app)
      .get(`/oauth/tokens?owner_type=district&district=${s.p.secondDistrictId}`)
      .set('Authorization', basic())
      .expect(200);
    expect(res.body.data.map((t: { owner: { id: string } }) => t.owner.id)).toEqual([s.p.secondDistrictId]);
    await request(s.app).get('/oauth/tokens?owner_type=district').expect(401);
    await request(s.app).get('/oauth/tokens?owner_type=user').set('Authorization', basic()).expect(400);
  });

  it('is deterministic per seed and differs between seeds', () => {
    expect(setup().token).toBe(s.token);
    expect(setup({ seed: 'other' }).token).not.toBe(s.token);
  });
});
