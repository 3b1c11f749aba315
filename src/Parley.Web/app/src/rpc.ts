// The JSON-RPC 2.0 connection to the daemon's WebSocket (docs/API.md). The secret travels as a
// WebSocket subprotocol, never in a URL; the socket reconnects with jittered backoff and every call
// has a timeout, so the UI never waits forever on a stopped daemon.

export type ConnectionState = "connecting" | "open" | "closed";

/** An error the daemon returned (code and, for -32000, data.kind) or a local failure. */
export class RpcError extends Error {
  constructor(
    readonly code: number,
    message: string,
    readonly kind?: string,
  ) {
    super(message);
    this.name = "RpcError";
  }
}

interface Pending {
  resolve: (value: unknown) => void;
  reject: (reason: RpcError) => void;
  timer: ReturnType<typeof setTimeout>;
}

/** The subprotocol the daemon speaks and the prefix that carries the secret. */
export const Protocol = "parley.v1";
export const TokenProtocolPrefix = "parley-token.";

const CallTimeoutMs = 60_000;
const BackoffBaseMs = 250;
const BackoffCapMs = 5_000;

/** Full-jitter exponential backoff: a random delay in [0, min(cap, base * 2^attempt)). */
export function backoffDelay(attempt: number, random: () => number = Math.random): number {
  const ceiling = Math.min(BackoffCapMs, BackoffBaseMs * 2 ** Math.min(attempt, 16));
  return Math.floor(random() * ceiling);
}

export class RpcClient {
  private socket: WebSocket | null = null;
  private nextId = 1;
  private attempt = 0;
  private stopped = false;
  private readonly pending = new Map<number, Pending>();

  /** Called with every `event` notification's params. */
  onEvent: (event: Record<string, unknown>) => void = () => {};

  /** Called when the socket opens (after a reconnect too: the caller re-subscribes) or closes. */
  onState: (state: ConnectionState) => void = () => {};

  /** Called when the daemon refuses the secret: reconnecting cannot help. */
  onUnauthorized: () => void = () => {};

  constructor(
    private readonly url: string,
    private readonly token: string,
  ) {}

  start(): void {
    this.stopped = false;
    this.open();
  }

  stop(): void {
    this.stopped = true;
    this.socket?.close(1000);
  }

  get isOpen(): boolean {
    return this.socket?.readyState === WebSocket.OPEN;
  }

  call<T>(method: string, params: Record<string, unknown> = {}, timeoutMs = CallTimeoutMs): Promise<T> {
    const socket = this.socket;
    if (!socket || socket.readyState !== WebSocket.OPEN) {
      return Promise.reject(new RpcError(-1, "Not connected to the Parley daemon.", "daemonUnreachable"));
    }

    const id = this.nextId++;
    return new Promise<T>((resolve, reject) => {
      const timer = setTimeout(() => {
        this.pending.delete(id);
        reject(new RpcError(-2, "The Parley daemon did not answer in time.", "timeout"));
      }, timeoutMs);
      this.pending.set(id, { resolve: resolve as (value: unknown) => void, reject, timer });
      socket.send(JSON.stringify({ jsonrpc: "2.0", id, method, params }));
    });
  }

  private open(): void {
    this.onState("connecting");
    let opened = false;
    const socket = new WebSocket(this.url, [Protocol, TokenProtocolPrefix + this.token]);
    this.socket = socket;
    socket.onopen = () => {
      opened = true;
      this.attempt = 0;
      this.onState("open");
    };
    socket.onmessage = (message) => this.receive(message.data);
    socket.onclose = (close) => {
      this.failPending();
      this.onState("closed");
      if (close.code === 1008) {
        this.stopped = true;
        this.onUnauthorized();
      }

      if (!this.stopped) {
        const delay = backoffDelay(opened ? 0 : ++this.attempt);
        setTimeout(() => {
          if (!this.stopped) {
            this.open();
          }
        }, delay);
      }
    };
  }

  private receive(data: unknown): void {
    if (typeof data !== "string") {
      return;
    }

    let message: Record<string, unknown>;
    try {
      message = JSON.parse(data) as Record<string, unknown>;
    } catch {
      return; // the daemon only sends JSON; anything else is ignored
    }

    if (message.method === "event" && typeof message.params === "object" && message.params !== null) {
      this.onEvent(message.params as Record<string, unknown>);
      return;
    }

    const id = typeof message.id === "number" ? message.id : -1;
    const pending = this.pending.get(id);
    if (!pending) {
      return;
    }

    this.pending.delete(id);
    clearTimeout(pending.timer);
    const error = message.error as { code?: number; message?: string; data?: { kind?: string } } | undefined;
    if (error) {
      pending.reject(new RpcError(error.code ?? -32603, error.message ?? "The daemon refused the call.", error.data?.kind));
    } else {
      pending.resolve(message.result);
    }
  }

  private failPending(): void {
    for (const [id, pending] of this.pending) {
      clearTimeout(pending.timer);
      pending.reject(new RpcError(-1, "The connection to the Parley daemon was lost.", "daemonUnreachable"));
      this.pending.delete(id);
    }
  }
}
