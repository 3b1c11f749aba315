using System.Diagnostics;
using System.Text.Json;
using Parley.LoadGen;

// Parley.LoadGen: opens N authenticated relay sockets against a running parley-server, drives 1:1
// traffic with the real framing and prints one JSON object with the figures. See docs/BENCHMARKS.md.
LoadGenOptions options;
try
{
    options = LoadGenOptions.Parse(args);
}
catch (Exception exception) when (exception is ArgumentException or FormatException)
{
    Console.Error.WriteLine(exception.Message);
    Console.Error.WriteLine("usage: Parley.LoadGen --url URL [--connections N] [--active M] [--rate MSG_PER_S | 0] [--duration S] " +
        "[--short S] [--pairs N] [--warmup S] [--window W] [--payload BYTES] [--server-pid PID] [--accounts-file FILE] [--prefix P] [--fingerprint SHA256:HEX] [--parallelism P]");
    return 2;
}

var transport = new Transport(options);
var provisionWatch = Stopwatch.StartNew();
var accounts = await new AccountProvisioner(options, transport).ProvideAsync(options.Connections);
Log($"accounts ready in {provisionWatch.Elapsed.TotalSeconds:0.0} s");
if (options.ProvisionOnly)
{
    return 0;
}

var runId = System.Security.Cryptography.RandomNumberGenerator.GetBytes(8);
var clients = new LoadClient[accounts.Count];
// Warm-up: the first connections pay for JIT and pool growth; memory per idle connection is
// measured over the rest.
var warmup = Math.Min(accounts.Count, Math.Max(10, accounts.Count / 100));
var connectWatch = Stopwatch.StartNew();
await ConnectRangeAsync(0, warmup);
await Task.Delay(TimeSpan.FromSeconds(2));
var rssBefore = ServerMemory.ReadRssKiB(options.ServerPid);
await ConnectRangeAsync(warmup, accounts.Count);
var connectSeconds = connectWatch.Elapsed.TotalSeconds;
Log($"{clients.Length} connections open in {connectSeconds:0.0} s");
await Task.Delay(TimeSpan.FromSeconds(3)); // let the server settle before reading its memory
var rssAfter = ServerMemory.ReadRssKiB(options.ServerPid);

var active = clients.Take(options.Active).ToArray();
var pairs = new List<(TrafficResult Short, TrafficResult Long)>();
TrafficResult traffic;
if (options.ShortDuration > 0)
{
    // Marginal CPU per message: warm up, then pairs of a short and a long phase with the same senders;
    // the fixed costs (timers, idle sockets, the drain wait) cancel in each pair's difference, and the
    // median over the pairs damps a neighbour's burst on a shared machine.
    if (options.Warmup > 0)
    {
        await TrafficDriver.RunAsync(active, options, options.Warmup);
    }

    foreach (var client in active)
    {
        client.ResetLatencies();
    }

    for (var pair = 0; pair < options.Pairs; pair++)
    {
        var shortPhase = await TrafficDriver.RunAsync(active, options, options.ShortDuration);
        var longPhase = await TrafficDriver.RunAsync(active, options, options.Duration);
        Log($"pair {pair + 1}: short {shortPhase.Delivered} messages / {shortPhase.ServerCpuSeconds:0.00} s server CPU, " +
            $"long {longPhase.Delivered} / {longPhase.ServerCpuSeconds:0.00} s");
        pairs.Add((shortPhase, longPhase));
    }

    traffic = pairs[^1].Long;
}
else
{
    traffic = await TrafficDriver.RunAsync(active, options, options.Duration);
}

StormResult? storm = null;
if (options.Storm)
{
    // Traffic is still in flight when the server dies: what it accepted must arrive after the storm.
    var burst = Task.WhenAll(active.Select(c => Task.Run(() =>
    {
        for (var i = 0; i < options.Window; i++)
        {
            c.Send(options.Payload);
        }
    })));
    await burst;
    storm = await StormDriver.RunAsync(clients, ReconnectAsync, options.ServerPid);
    Log($"storm: {storm.Clients} clients connected and drained in {storm.SecondsUntilAllConnectedAndDrained:0.0} s");
    await TrafficDriver.WaitDeliveredAsync(clients.Take(options.Active).ToArray());
}

if (options.Hold > 0)
{
    Log($"holding {clients.Length} sockets for {options.Hold:0} s");
    await Task.Delay(TimeSpan.FromSeconds(options.Hold));
}

await Task.WhenAll(clients.Select(c => c.CloseAsync()));

var result = ResultReport.Build(options, clients, traffic, pairs, connectSeconds, rssBefore, rssAfter, clients.Length - warmup, storm);
Console.Out.WriteLine(JsonSerializer.Serialize(result, ResultReport.JsonOptions));
return 0;

Task ConnectRangeAsync(int from, int to) =>
    Parallel.ForEachAsync(Enumerable.Range(from, to - from), new ParallelOptions { MaxDegreeOfParallelism = options.Parallelism * 4 },
        async (i, ct) =>
        {
            var socket = await transport.ConnectAsync(accounts[i].Token, ct);
            var client = new LoadClient(i, socket, clients, runId, options.Window, options.Batch) { PartnerName = accounts[i ^ 1].Username };
            clients[i] = client;
            client.Start();
            await client.QueueEmpty.WaitAsync(TimeSpan.FromSeconds(120), ct);
        });

async Task<LoadClient> ReconnectAsync(int i, LoadClient[] all)
{
    var socket = await transport.ConnectAsync(accounts[i].Token, CancellationToken.None);
    var client = new LoadClient(i, socket, all, runId, options.Window, options.Batch, all[i].Ledger) { PartnerName = accounts[i ^ 1].Username };
    all[i] = client;
    client.Start();
    if (i < options.Active)
    {
        // What the server never acknowledged goes again with the same ids (idempotent retry).
        foreach (var sequence in client.Ledger.Unaccepted())
        {
            client.Send(sequence, options.Payload);
        }
    }

    return client;
}

static void Log(string line) => Console.Error.WriteLine(line);
