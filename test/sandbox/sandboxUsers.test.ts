import { LANGUAGE_COOKIE, parseCookies, resolveSession, SANDBOX_USERS, USER_COOKIE } from "./sandboxUsers";

describe("sandbox session (user and language switches)", () => {
  const first = SANDBOX_USERS[0];
  const other = SANDBOX_USERS[SANDBOX_USERS.length - 1];

  it("defaults to the first user in English and sets no cookie", () => {
    const session = resolveSession({}, undefined);
    expect(session.user).toBe(first);
    expect(session.lcid).toBe(1033);
    expect(session.setCookies).toEqual([]);
  });

  it("takes the query string and remembers it in cookies", () => {
    const session = resolveSession({ user: other?.key, lang: "1042" }, undefined);
    expect(session.user).toBe(other);
    expect(session.lcid).toBe(1042);
    expect(session.setCookies).toEqual([
      `${USER_COOKIE}=${other?.key}; Path=/; SameSite=Lax`,
      `${LANGUAGE_COOKIE}=1042; Path=/; SameSite=Lax`,
    ]);
  });

  it("reads the cookies when the query has nothing; the query wins over them", () => {
    const cookie = `${USER_COOKIE}=${other?.key}; ${LANGUAGE_COOKIE}=1042`;
    expect(resolveSession({}, cookie).user).toBe(other);
    expect(resolveSession({}, cookie).lcid).toBe(1042);
    expect(resolveSession({ lang: "1033" }, cookie).lcid).toBe(1033);
  });

  it("refuses an unknown user or language in the query, naming the valid ones", () => {
    expect(() => resolveSession({ user: "mallory" }, undefined)).toThrow(
      /Unknown sandbox user 'mallory'; use one of .*emily/,
    );
    expect(() => resolveSession({ lang: "1031" }, undefined)).toThrow(
      "Unknown language '1031'; use one of 1033, 1042.",
    );
  });

  it("ignores a stale cookie value", () => {
    expect(resolveSession({}, `${USER_COOKIE}=gone; ${LANGUAGE_COOKIE}=9`).user).toBe(first);
  });

  it("parses cookie headers with spaces and encoded values", () => {
    expect(parseCookies("a=1; b = x%20y;c")).toEqual({ a: "1", b: "x y" });
  });
});
