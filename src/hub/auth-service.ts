import { AppError } from "../errors/registry.js";
import type { Database } from "../store/database.js";
import { JoinChallengesRepo } from "../store/join-challenges-repo.js";
import { SessionsRepo } from "../store/sessions-repo.js";
import { type UserRow, UsersRepo } from "../store/users-repo.js";
import type { Clock } from "../util/clock.js";
import { newId, newPin, newSecretToken } from "../util/ids.js";
import { hashSecret, hashToken, verifySecret } from "../util/secret-hash.js";

export const MAX_PIN_ATTEMPTS = 5;
export const JOIN_TTL_MS = 10 * 60 * 1000;

export interface Principal {
  user_id: string;
  username: string;
  is_root: boolean;
}

export interface IssuedChallenge {
  join_token: string;
  pin: string;
  expires_at: number;
  grants_root: boolean;
}

export interface SessionToken {
  token: string;
  issued_at: number;
  expires_at: number;
  user: Principal;
}

const USERNAME_RE = /^[a-z0-9][a-z0-9._-]{1,62}$/i;

function principalOf(u: UserRow): Principal {
  return { user_id: u.id, username: u.username, is_root: u.is_root === 1 };
}

/** Users, bearer sessions and join challenges (root bootstrap and later invitations). */
export class AuthService {
  private readonly users: UsersRepo;
  private readonly sessions: SessionsRepo;
  private readonly challenges: JoinChallengesRepo;
  private readonly pinChecks = new Map<string, Promise<unknown>>();
  /** Run once root has joined (e.g. removing the bootstrap file that held the root challenge). */
  private readonly rootJoinedHooks: (() => void)[] = [];

  constructor(
    private readonly db: Database,
    private readonly clock: Clock,
    private readonly sessionTtlMs: number,
  ) {
    this.users = new UsersRepo(db);
    this.sessions = new SessionsRepo(db);
    this.challenges = new JoinChallengesRepo(db);
  }

  hasRoot(): boolean {
    return this.users.hasRoot();
  }

  onRootJoined(hook: () => void): void {
    this.rootJoinedHooks.push(hook);
  }

  /** A root challenge for first start; refused once root exists. */
  async createRootChallenge(): Promise<IssuedChallenge> {
    if (this.users.hasRoot()) throw new AppError("ROOT_ALREADY_INITIALIZED");
    return this.createChallenge(true, null);
  }

  hasLiveRootChallenge(): boolean {
    return this.challenges.hasLiveRootChallenge(this.clock.now());
  }

  /** An invitation for an ordinary user, made by root. */
  async createUserChallenge(by: Principal): Promise<IssuedChallenge> {
    if (!by.is_root) throw new AppError("ROOT_REQUIRED");
    return this.createChallenge(false, by.user_id);
  }

  private async createChallenge(grantsRoot: boolean, createdBy: string | null): Promise<IssuedChallenge> {
    const joinToken = newSecretToken("ahj");
    const pin = newPin();
    const now = this.clock.now();
    const expiresAt = now + JOIN_TTL_MS;
    this.challenges.insert({
      id: newId("jc"),
      token_hash: hashToken(joinToken),
      pin_hash: await hashSecret(pin),
      grants_root: grantsRoot ? 1 : 0,
      created_by: createdBy,
      created_at: now,
      expires_at: expiresAt,
    });
    return { join_token: joinToken, pin, expires_at: expiresAt, grants_root: grantsRoot };
  }

  async join(input: {
    join_token?: string | undefined;
    pin?: string | undefined;
    username?: string | undefined;
    password?: string | undefined;
  }): Promise<SessionToken> {
    const { join_token } = input;
    if (typeof join_token !== "string" || join_token.length === 0) throw new AppError("INVALID_JOIN_TOKEN");
    const tokenHash = hashToken(join_token);
    // PIN checks of one challenge run one at a time: parallel guesses cannot all pass the burn check
    // before any failure is counted (at most MAX_PIN_ATTEMPTS guesses, ever).
    const prev = this.pinChecks.get(tokenHash) ?? Promise.resolve();
    const mine = prev.then(
      () => this.joinChecked(tokenHash, input),
      () => this.joinChecked(tokenHash, input),
    );
    const tail = mine.catch(() => undefined);
    this.pinChecks.set(tokenHash, tail);
    void tail.then(() => {
      if (this.pinChecks.get(tokenHash) === tail) this.pinChecks.delete(tokenHash);
    });
    return mine;
  }

  private async joinChecked(
    tokenHash: string,
    input: { pin?: string | undefined; username?: string | undefined; password?: string | undefined },
  ): Promise<SessionToken> {
    const { pin, username, password } = input;
    const ch = this.challenges.byTokenHash(tokenHash);
    if (!ch || ch.used_at !== null || ch.burned_at !== null) throw new AppError("INVALID_JOIN_TOKEN");
    const now = this.clock.now();
    if (ch.expires_at <= now) throw new AppError("JOIN_TOKEN_EXPIRED");
    if (ch.grants_root === 1 && this.users.hasRoot()) throw new AppError("ROOT_ALREADY_INITIALIZED");
    if (typeof pin !== "string" || !/^\d{6}$/.test(pin) || !(await verifySecret(pin, ch.pin_hash))) {
      const attempts = this.challenges.recordFailure(ch.id, MAX_PIN_ATTEMPTS, now);
      throw new AppError("INVALID_PIN", { attempts_left: Math.max(0, MAX_PIN_ATTEMPTS - attempts) });
    }
    if (typeof username !== "string" || !USERNAME_RE.test(username)) {
      throw new AppError("BAD_REQUEST", undefined, {
        message: "username is required (2-63 letters, digits, '.', '_' or '-')",
      });
    }
    if (typeof password !== "string" || password.length < 8) {
      throw new AppError("BAD_REQUEST", undefined, { message: "password must be at least 8 characters" });
    }
    if (this.users.byUsername(username)) throw new AppError("USERNAME_TAKEN");
    const passwordHash = await hashSecret(password);
    const user: UserRow = {
      id: newId("usr"),
      username,
      password_hash: passwordHash,
      is_root: ch.grants_root,
      created_at: now,
    };
    // Re-checked inside one transaction: two concurrent joins cannot both use a challenge or both become root.
    this.db.transaction(() => {
      if (ch.grants_root === 1 && this.users.hasRoot()) throw new AppError("ROOT_ALREADY_INITIALIZED");
      if (this.users.byUsername(username)) throw new AppError("USERNAME_TAKEN");
      if (!this.challenges.markUsed(ch.id, now)) throw new AppError("INVALID_JOIN_TOKEN");
      this.users.insert(user);
    })();
    if (user.is_root === 1) for (const hook of this.rootJoinedHooks) hook();
    return this.issueSession(user);
  }

  async login(input: {
    username?: string | undefined;
    password?: string | undefined;
  }): Promise<SessionToken> {
    const { username, password } = input;
    if (typeof username !== "string" || typeof password !== "string")
      throw new AppError("INVALID_CREDENTIALS");
    const user = this.users.byUsername(username);
    if (!user || !(await verifySecret(password, user.password_hash)))
      throw new AppError("INVALID_CREDENTIALS");
    return this.issueSession(user);
  }

  private issueSession(user: UserRow): SessionToken {
    const token = newSecretToken("aht");
    const now = this.clock.now();
    const expiresAt = now + this.sessionTtlMs;
    this.sessions.insert({
      token_hash: hashToken(token),
      user_id: user.id,
      created_at: now,
      expires_at: expiresAt,
    });
    return { token, issued_at: now, expires_at: expiresAt, user: principalOf(user) };
  }

  /** Resolves a bearer token to its user; every failure is the same `invalid token`. */
  authenticate(token: string | undefined): Principal {
    if (token === undefined || token.length === 0) throw new AppError("MISSING_TOKEN");
    const s = this.sessions.byTokenHash(hashToken(token));
    if (!s || s.revoked_at !== null || s.expires_at <= this.clock.now()) throw new AppError("INVALID_TOKEN");
    const user = this.users.byId(s.user_id);
    if (!user) throw new AppError("INVALID_TOKEN");
    return principalOf(user);
  }

  logout(token: string): boolean {
    return this.sessions.revoke(hashToken(token), this.clock.now());
  }

  listUsers(): Principal[] {
    return this.users.list().map(principalOf);
  }
}
