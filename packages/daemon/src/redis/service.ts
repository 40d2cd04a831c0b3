import { declaredError, ErrorCodes, NightshiftError, type RedisInfo } from '@nightshift/protocol';
import type { RedisConfig } from '../config.js';
import type { EventBus } from '../events/index.js';
import type { Clock } from '../runtime/clock.js';
import { type AdminConnection, appUrl, type Endpoint, endpointOf } from './admin.js';
import { checkServer, type ServerFacts } from './checks.js';
import { countKeys, purgeKeys } from './keys.js';
import { openConnection } from './connection.js';
import { findRedisServer, type ManagedRedis } from './managed.js';
import { type MemorySample, Pressure, sampleMemory } from './monitor.js';
import { EvictionPolicyReport, reportPressure } from './reports.js';
import { appPrefix, appUser } from './rule.js';
import { applyUser, deleteUser, newPassword } from './users.js';

const RETRY_MS = 5000;

/** The name under which an app's Redis password is kept in the secrets store (a platform secret). */
export const REDIS_PASSWORD_SECRET = 'NIGHTSHIFT_REDIS_PASSWORD';

export interface RedisDeps {
  readonly config: RedisConfig;
  /** `<home>/redis`, for the managed server. */
  readonly dir: string;
  /** The daemon's PATH, where `redis-server` is looked for. */
  readonly path: string | undefined;
  readonly bus: EventBus;
  readonly clock: Clock;
  /** The app's stored Redis password (encrypted in the secrets store), and how to store a new one. */
  readonly passwords: {
    get(app: string): string | null;
    set(app: string, password: string): void;
  };
  /** Apps whose users must exist: those whose live release has `redis: true`. */
  readonly redisApps: () => string[];
  readonly onError: (err: unknown) => void;
}

/** `metrics()`: what the daemon exports about its Redis. */
export interface RedisMetrics {
  /** redis_used_memory_bytes */
  readonly usedMemory: number;
  /** redis_maxmemory_bytes (0 = no limit) */
  readonly maxmemory: number;
  /** redis_rejected_writes_total: writes refused for memory since the server started */
  readonly rejectedWrites: number;
  /** redis_app_keys{app} */
  readonly keys: ReadonlyMap<string, number>;
}

interface Connected {
  readonly admin: AdminConnection;
  readonly endpoint: Endpoint;
  readonly facts: ServerFacts;
  readonly managed: ManagedRedis | null;
}

/**
 * Redis for `redis: true` apps (DESIGN §8): the admin connection (the managed redis-server or
 * NIGHTSHIFT_REDIS_ADMIN_URL), each app's ACL user and password, back-pressure sampling. Identity: one per
 * daemon; `close` ends the connection and the managed server.
 */
export class RedisService {
  readonly #deps: RedisDeps;
  #connecting: Promise<Connected> | null = null;
  #connected: Connected | null = null;
  /** Where the Redis was last reached: a managed server comes back on the same port after a restart. */
  #endpoint: Endpoint | null = null;
  readonly #pressure = new Pressure();
  #sampler: NodeJS.Timeout | null = null;
  #retry: NodeJS.Timeout | null = null;
  #closed = false;
  #policy: EvictionPolicyReport;

  constructor(deps: RedisDeps) {
    this.#deps = deps;
    this.#policy = new EvictionPolicyReport(deps.bus, deps.config.requireNoeviction);
  }

  /** Whether a deploy of a `redis: true` app can get a Redis at all. */
  available(): boolean {
    return this.#deps.config.adminUrl !== null || findRedisServer(this.#deps.path) !== null;
  }

  /** The deploy check: a `redis: true` app needs a Redis before anything is built. */
  preflight(spec: { readonly name: string; readonly redis: boolean }): void {
    if (!spec.redis || this.available()) return;
    throw new NightshiftError(
      ErrorCodes.redisUnavailable,
      `${spec.name} sets \`redis: true\`, but this daemon has no Redis: NIGHTSHIFT_REDIS_ADMIN_URL is not set and no redis-server is on its PATH`,
      declaredError(ErrorCodes.redisUnavailable)!.hint,
    );
  }

  /**
   * At daemon start with an admin URL: connect now, so that `--require-noeviction` refuses an evicting Redis
   * before anything runs. An unreachable Redis is only logged (deploys and restores try again).
   */
  async start(): Promise<void> {
    if (this.#deps.config.adminUrl === null) return;
    try {
      await this.#connect();
    } catch (err) {
      if ((err as { code?: string }).code === ErrorCodes.redisEvictionPolicy) throw err;
      this.#deps.onError(err);
    }
  }

  /** Creates or re-applies the app's user (from `reset`), generating its password the first time. */
  async provision(app: string): Promise<void> {
    const { admin, managed } = await this.#connect();
    let password = this.#deps.passwords.get(app);
    if (password === null) {
      password = newPassword();
      this.#deps.passwords.set(app, password);
    }
    await applyUser(admin, app, [password], managed !== null);
    this.#policy.tell(app);
  }

  /** `REDIS_URL` and `NIGHTSHIFT_REDIS_PREFIX` of a provisioned app, else null. */
  environment(app: string): { url: string; prefix: string } | null {
    // An external Redis is where the admin URL says even while it is unreachable, and a managed one that is
    // being restarted comes back where it was: apps get their URL and reconnect by themselves when it is back
    // (their users are re-applied then). A replica started in that window must not lose its REDIS_URL.
    const endpoint =
      this.#connected?.endpoint ??
      this.#endpoint ??
      (this.#deps.config.adminUrl === null ? null : endpointOf(this.#deps.config.adminUrl));
    const password = endpoint === null ? null : this.#deps.passwords.get(app);
    if (endpoint === null || password === null) return null;
    return { url: appUrl(endpoint, appUser(app), password), prefix: appPrefix(app) };
  }

  /**
   * `apps destroy`: deletes the user (which disconnects its clients), then its keys, so that no client can
   * write new ones meanwhile. Other apps' keys, `foobar:*` included, stay.
   */
  async removeApp(app: string): Promise<number> {
    if (this.#deps.passwords.get(app) === null) return 0;
    const { admin, managed } = await this.#connect();
    return deleteUser(admin, app, managed !== null);
  }

  /** `nightshift redis flush`: deletes the app's keys only. */
  async flush(app: string): Promise<number> {
    const { admin } = await this.#connect();
    const keys = await purgeKeys(admin, appPrefix(app));
    this.#deps.bus.emit({
      type: 'redis:flushed',
      app,
      message: `${app}: ${keys} Redis keys deleted`,
      data: { keys },
    });
    return keys;
  }

  /**
   * `nightshift redis rotate`: the new password is added (both work), the processes restart with it, then the
   * rule is re-applied with the new one only. Connections opened with the old one ended with the restart.
   * `restart` says whether every process now runs with the new password; when it did not (a replica could not
   * start again), the old password stays valid beside the new one for the processes still on it, and this
   * returns false.
   */
  async rotate(app: string, restart: () => Promise<boolean>): Promise<boolean> {
    const { admin, managed } = await this.#connect();
    const old = this.#deps.passwords.get(app);
    const password = newPassword();
    await applyUser(admin, app, old === null ? [password] : [old, password], managed !== null);
    this.#deps.passwords.set(app, password);
    if (!(await restart())) return false;
    await applyUser(admin, app, [password], managed !== null);
    this.#deps.bus.emit({
      type: 'redis:rotated',
      app,
      message: `${app}: Redis password rotated`,
      data: {},
    });
    return true;
  }

  /** One command as the administrator: how the autoscaler reads a `redis: true` app's queue depth. */
  async adminCall(...args: (string | number)[]): Promise<unknown> {
    const { admin } = await this.#connect();
    return admin.call(...args);
  }

  /** `nightshift redis info`: the server, the app's user and prefix, memory, refused writes, the app's keys. */
  async info(app: string): Promise<RedisInfo> {
    const { admin, facts, managed } = await this.#connect();
    const sample = await sampleMemory(admin);
    const keys = await countKeys(admin, appPrefix(app));
    this.#observe(sample);
    return {
      app,
      mode: managed ? 'managed' : 'external',
      version: facts.version,
      user: appUser(app),
      prefix: appPrefix(app),
      policy: facts.policy,
      usedMemory: sample.usedMemory,
      maxmemory: sample.maxmemory,
      rejectedWrites: sample.rejectedWrites,
      keys: keys.keys,
      keysExact: keys.exact,
      warnings: this.warnings(),
    };
  }

  /**
   * What the metrics exporter reads (Prometheus names in comments), like the scheduler's counters: the server's
   * memory and refused writes, and each `redis: true` app's key count (SCAN as admin, sampled). Null while no
   * Redis is connected.
   */
  async metrics(): Promise<RedisMetrics | null> {
    const connected = this.#connected;
    if (connected === null) return null;
    const sample = await sampleMemory(connected.admin);
    this.#observe(sample);
    const keys = new Map<string, number>();
    for (const app of this.#deps.redisApps()) {
      keys.set(app, (await countKeys(connected.admin, appPrefix(app))).keys);
    }
    return { ...sample, keys };
  }

  /** What `ps` prints as warning lines: an evicting Redis, memory above 80 %, writes being refused. */
  warnings(): string[] {
    if (this.#connected === null) return [];
    return [...this.#policy.warnings(), ...this.#pressure.warnings(this.#deps.clock.monotonic())];
  }

  async close(): Promise<void> {
    this.#closed = true;
    if (this.#sampler) clearInterval(this.#sampler);
    if (this.#retry) clearTimeout(this.#retry);
    const connected = this.#connected ?? (await this.#connecting?.catch(() => null)) ?? null;
    if (connected === null) return;
    await connected.admin.close();
    await connected.managed?.stop();
  }

  #connect(): Promise<Connected> {
    this.#connecting ??= this.#open().then(
      (connected) => {
        this.#connected = connected;
        this.#endpoint = connected.endpoint;
        return connected;
      },
      (err: unknown) => {
        this.#connecting = null;
        this.#retryLater();
        throw err;
      },
    );
    return this.#connecting;
  }

  /**
   * A Redis that could not be reached while apps need it is tried again every 5 s until it answers; their users
   * are then re-applied (the failed deploy or restore reported the error already).
   */
  #retryLater(): void {
    if (this.#closed || this.#retry !== null || this.#deps.redisApps().length === 0) return;
    this.#retry = setTimeout(() => {
      this.#retry = null;
      this.#connect()
        .then(
          () => this.#reapplyAll(),
          () => undefined,
        )
        .catch(this.#deps.onError);
    }, RETRY_MS);
    this.#retry.unref();
  }

  async #open(): Promise<Connected> {
    const { admin, managed, url, where } = await openConnection({
      config: this.#deps.config,
      dir: this.#deps.dir,
      path: this.#deps.path,
    });
    managed?.onExit((code, signal) => this.#serverExited(code, signal));
    let facts: ServerFacts;
    try {
      facts = await checkServer(admin, where);
      this.#policy.check(facts, managed !== null, this.#deps.redisApps());
    } catch (err) {
      await admin.close();
      await managed?.stop();
      throw err;
    }
    // A server that restarted lost the users it did not save (an external one without an ACL file).
    admin.onReady(() => void this.#reapplyAll().catch(this.#deps.onError));
    this.#deps.bus.emit({
      type: 'redis:connected',
      app: '',
      message: `Redis ${facts.version} (${managed ? 'managed' : 'external'}, ${facts.policy}) connected`,
      data: {
        mode: managed ? 'managed' : 'external',
        version: facts.version,
        policy: facts.policy,
        maxmemory: facts.maxmemory,
      },
    });
    // The first sample is the baseline of refused writes: taken now, so refusals right after connect count.
    this.#observe(await sampleMemory(admin));
    this.#startSampler(admin);
    return { admin, endpoint: endpointOf(url), facts, managed };
  }

  async #reapplyAll(): Promise<void> {
    for (const app of this.#deps.redisApps()) await this.provision(app);
  }

  #serverExited(code: number | null, signal: string | null): void {
    this.#deps.bus.emit({
      type: 'redis:server-exited',
      app: '',
      message: `the managed redis-server exited (${signal ?? `code ${code}`}); starting it again`,
      data: { code, signal },
    });
    const previous = this.#connected;
    this.#connected = null;
    this.#connecting = null;
    if (this.#sampler) clearInterval(this.#sampler);
    void (async () => {
      await previous?.admin.close();
      if (this.#closed) return;
      await this.#connect();
      await this.#reapplyAll();
    })().catch(this.#deps.onError);
  }

  #startSampler(admin: AdminConnection): void {
    if (this.#sampler) clearInterval(this.#sampler);
    this.#sampler = setInterval(() => {
      sampleMemory(admin).then(
        (sample) => this.#observe(sample),
        () => undefined,
      );
    }, this.#deps.config.sampleMs);
    this.#sampler.unref();
  }

  #observe(sample: MemorySample): void {
    const events = this.#pressure.observe(sample, this.#deps.clock.monotonic());
    reportPressure(this.#deps.bus, this.#deps.redisApps(), events, sample);
  }
}
