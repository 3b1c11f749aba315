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
        "[--window W] [--payload BYTES] [--server-pid PID] [--cpu-pids PID,PID] [--accounts-file FILE] [--prefix P] [--fingerprint SHA256:HEX] [--parallelism P]");
    return 2;
}

var transport = new Transport(options);
var provisionWatch = Stopwatch.StartNew();
var accounts = await new AccountProvisioner(options, transport).ProvideAsync(options.Connections);
Log($"accounts ready in {provisionWatch.Elapsed.TotalSeconds:0.0} s");

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

var cpuBefore = ServerCpu.ReadMilliseconds(options.CpuPids);
var traffic = await TrafficDriver.RunAsync(clients.Take(options.Active).ToArray(), options);
var serverCpuMs = ServerCpu.ReadMilliseconds(options.CpuPids) - cpuBefore;
await Task.WhenAll(clients.Select(c => c.CloseAsync()));

var result = ResultReport.Build(options, clients, traffic, connectSeconds, rssBefore, rssAfter, clients.Length - warmup, serverCpuMs);
Console.Out.WriteLine(JsonSerializer.Serialize(result, ResultReport.JsonOptions));
return 0;

Task ConnectRangeAsync(int from, int to) =>
    Parallel.ForEachAsync(Enumerable.Range(from, to - from), new ParallelOptions { MaxDegreeOfParallelism = options.Parallelism * 4 },
        async (i, ct) =>
        {
            var socket = await transport.ConnectAsync(accounts[i].Token, ct);
            var client = new LoadClient(i, socket, clients, runId, options.Window) { PartnerName = accounts[i ^ 1].Username };
            clients[i] = client;
            client.Start();
            await client.QueueEmpty.WaitAsync(TimeSpan.FromSeconds(120), ct);
        });

static void Log(string line) => Console.Error.WriteLine(line);
