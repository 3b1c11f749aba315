using System.Globalization;

namespace Parley.LoadGen;

/// <summary>Command-line options of the load generator (all have defaults except --url).</summary>
internal sealed class LoadGenOptions
{
    public Uri Url { get; private set; } = new("http://127.0.0.1:8080");

    /// <summary>Connections to open (and accounts to use); even.</summary>
    public int Connections { get; private set; } = 100;

    /// <summary>Connections that carry traffic (paired 0↔1, 2↔3, …); the rest stay idle.</summary>
    public int Active { get; private set; } = 100;

    /// <summary>Target total sends per second; 0 = flat out (each active connection keeps a window in flight).</summary>
    public double Rate { get; private set; }

    /// <summary>Traffic duration in seconds.</summary>
    public double Duration { get; private set; } = 10;

    /// <summary>
    /// Seconds of the short phase of the marginal-CPU measurement (same senders, same rate, run before
    /// the long phase of <see cref="Duration"/>); 0 = one phase only, no marginal figure.
    /// </summary>
    public double ShortDuration { get; private set; } = 3;

    /// <summary>Short/long phase pairs; the reported marginal CPU is their median.</summary>
    public int Pairs { get; private set; } = 3;

    /// <summary>Seconds of unmeasured traffic first (JIT tiering, pool growth), before the measured phases.</summary>
    public double Warmup { get; private set; } = 2;

    /// <summary>Only register, log in and pair the accounts into <see cref="AccountsFile"/>, then exit.</summary>
    public bool ProvisionOnly { get; private set; }

    /// <summary>
    /// Use the batched frames (Capabilities + SendResultBatch, AckBatch for deliveries that arrive
    /// together); false = one SendResult and one Ack per message, as older clients do.
    /// </summary>
    public bool Batch { get; private set; } = true;

    /// <summary>
    /// After the traffic: send one window per active client, SIGKILL the server (--server-pid) and
    /// measure the reconnect storm (the caller restarts the server on "storm: server killed").
    /// </summary>
    public bool Storm { get; private set; }

    /// <summary>Outstanding (not yet accepted) sends per active connection when running flat out.</summary>
    public int Window { get; private set; } = 64;

    /// <summary>Ciphertext bytes per message (at least 16).</summary>
    public int Payload { get; private set; } = 64;

    /// <summary>Server process id, for RSS before/after opening the connections; 0 = not measured.</summary>
    public int ServerPid { get; private set; }

    /// <summary>
    /// Every process whose CPU counts as the server's (<c>--server-pid A,B,…</c>: the nodes of a cluster);
    /// the first is <see cref="ServerPid"/> (memory, storm).
    /// </summary>
    public IReadOnlyList<int> ServerPids { get; private set; } = [];

    /// <summary>File caching accounts and tokens between runs (registration with SRP is the slow part).</summary>
    public string? AccountsFile { get; private set; }

    /// <summary>Username prefix for the accounts this run creates.</summary>
    public string Prefix { get; private set; } = "lg";

    /// <summary>SHA-256 fingerprint (hex) of the server certificate to pin for https/wss.</summary>
    public string? Fingerprint { get; private set; }

    /// <summary>Argon2id memory (KiB) for registration; the server's minimum must be lowered to allow it.</summary>
    public int Argon2MemoryKiB { get; private set; } = 8;

    /// <summary>Seconds to keep every socket open after the traffic (several generators holding their sockets at once).</summary>
    public double Hold { get; private set; }

    /// <summary>Local address every relay socket binds to (e.g. 127.0.0.2); null = the system's choice.</summary>
    public System.Net.IPAddress? Source { get; private set; }

    /// <summary>Parallel registrations/logins/connects.</summary>
    public int Parallelism { get; private set; } = 8;

    public static LoadGenOptions Parse(string[] args)
    {
        var o = new LoadGenOptions();
        for (var i = 0; i < args.Length; i++)
        {
            var value = i + 1 < args.Length ? args[i + 1] : throw new ArgumentException("missing value for " + args[i]);
            i++;
            switch (args[i - 1])
            {
                case "--url": o.Url = new Uri(value); break;
                case "--connections": o.Connections = Int(value); break;
                case "--active": o.Active = Int(value); break;
                case "--rate": o.Rate = double.Parse(value, CultureInfo.InvariantCulture); break;
                case "--duration": o.Duration = double.Parse(value, CultureInfo.InvariantCulture); break;
                case "--short": o.ShortDuration = double.Parse(value, CultureInfo.InvariantCulture); break;
                case "--pairs": o.Pairs = Math.Max(1, Int(value)); break;
                case "--warmup": o.Warmup = double.Parse(value, CultureInfo.InvariantCulture); break;
                case "--provision-only": o.ProvisionOnly = value == "true"; break;
                case "--batch": o.Batch = bool.Parse(value); break;
                case "--storm": o.Storm = bool.Parse(value); break;
                case "--window": o.Window = Int(value); break;
                case "--payload": o.Payload = Math.Max(16, Int(value)); break;
                case "--server-pid":
                    o.ServerPids = [.. value.Split(',').Select(Int)];
                    o.ServerPid = o.ServerPids[0];
                    break;
                case "--accounts-file": o.AccountsFile = value; break;
                case "--prefix": o.Prefix = value; break;
                case "--fingerprint": o.Fingerprint = value.Replace(":", "", StringComparison.Ordinal); break;
                case "--argon2-memory": o.Argon2MemoryKiB = Int(value); break;
                case "--parallelism": o.Parallelism = Int(value); break;
                case "--hold": o.Hold = double.Parse(value, CultureInfo.InvariantCulture); break;
                case "--source": o.Source = System.Net.IPAddress.Parse(value); break;
                default: throw new ArgumentException("unknown option " + args[i - 1]);
            }
        }

        o.Connections += o.Connections % 2;
        o.Active = Math.Min(o.Connections, o.Active + (o.Active % 2));
        return o;
    }

    private static int Int(string value) => int.Parse(value, CultureInfo.InvariantCulture);
}
