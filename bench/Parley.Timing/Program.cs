using System.Diagnostics;
using System.Globalization;
using Parley.Timing;

// Timing side-channel runner (docs/SECURITY.md, "Timing"). Usage:
//   dotnet build -c Release src/Parley.Server bench/Parley.Timing
//   dotnet bench/Parley.Timing/bin/Release/net10.0/Parley.Timing.dll [macSamples] [httpSamples] [loginSamples]
// (samples per class; 0 skips that part; login requests cost two 4096-bit exponentiations, hence their own count). Prints one markdown table row per comparison as it finishes: medians, Welch's t
// (raw and cropped at the pooled p90); the load average and elapsed time go to standard error.
var macSamples = args.Length > 0 ? int.Parse(args[0], CultureInfo.InvariantCulture) : 100_000;
var httpSamples = args.Length > 1 ? int.Parse(args[1], CultureInfo.InvariantCulture) : 30_000;
var loginSamples = args.Length > 2 ? int.Parse(args[2], CultureInfo.InvariantCulture) : 5_000;
var clock = Stopwatch.StartNew();

Console.WriteLine("| comparison | samples (A / B) | median A | median B | Welch t | t (cropped p90) | verdict |");
Console.WriteLine("|---|---|---|---|---|---|---|");
Load("start");
if (macSamples > 0)
{
    foreach (var r in MacTiming.Run(macSamples))
    {
        Print(r);
    }
}

if (httpSamples > 0 || loginSamples > 0)
{
    using var server = ServerUnderTest.Start();
    await foreach (var r in ServerTiming.RunAsync(server, httpSamples, loginSamples))
    {
        Print(r);
    }
}

Load("end");

void Print(Result r)
{
    Console.WriteLine(string.Create(CultureInfo.InvariantCulture,
        $"| {r.Name} | {r.CountA:N0} / {r.CountB:N0} | {r.MedianA:F3} {r.Unit} | {r.MedianB:F3} {r.Unit} | {r.T:F2} | {r.CroppedT:F2} | {r.Verdict} |"));
    Load(r.Name);
}

void Load(string what) => Console.Error.WriteLine(string.Create(CultureInfo.InvariantCulture,
    $"{clock.Elapsed.TotalSeconds:F0} s, load {File.ReadAllText("/proc/loadavg").Trim()}: {what}"));
