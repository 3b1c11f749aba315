using System.Globalization;
using Parley.Timing;

// Timing side-channel runner (docs/SECURITY.md, "Timing"). Usage:
//   dotnet build -c Release src/Parley.Server && dotnet run -c Release --project bench/Parley.Timing -- [macSamples] [httpSamples]
// Prints one markdown table row per comparison: medians, Welch's t (raw and cropped at the pooled p90).
var macSamples = args.Length > 0 ? int.Parse(args[0], CultureInfo.InvariantCulture) : 100_000;
var httpSamples = args.Length > 1 ? int.Parse(args[1], CultureInfo.InvariantCulture) : 20_000;

Console.WriteLine("| comparison | samples (A / B) | median A | median B | Welch t | t (cropped p90) | verdict |");
Console.WriteLine("|---|---|---|---|---|---|---|");
foreach (var r in MacTiming.Run(macSamples))
{
    Print(r);
}

using (var server = ServerUnderTest.Start())
{
    foreach (var r in await ServerTiming.RunAsync(server, httpSamples))
    {
        Print(r);
    }
}

static void Print(Result r) => Console.WriteLine(string.Create(CultureInfo.InvariantCulture,
    $"| {r.Name} | {r.CountA:N0} / {r.CountB:N0} | {r.MedianA:F3} {r.Unit} | {r.MedianB:F3} {r.Unit} | {r.T:F2} | {r.CroppedT:F2} | {r.Verdict} |"));
