using Parley.Fuzz.Targets;
using Parley.Fuzz;
using SharpFuzz;

// The fuzz harness. Commands:
//   instrument DIR            instruments, in place, the product assemblies in DIR (a copy of this
//                             program's output) for afl-fuzz; run it from anywhere but DIR
//   list                      names of the targets (All first)
//   seeds DIR [TARGET]        writes each target's seed corpus to DIR/TARGET/ (or one target's to DIR)
//   run TARGET                the afl-fuzz loop (SharpFuzz, persistent, in process); started by afl-fuzz
//   replay TARGET FILE...     runs each file once; an exception escapes (exit code != 0) on a crash
// See docs/SECURITY.md, "Coverage-guided fuzzing", for the instrumentation and afl-fuzz command lines.
if (args.Length == 0)
{
    await Console.Error.WriteLineAsync("usage: Parley.Fuzz instrument DIR | list | seeds DIR [TARGET] | run TARGET | replay TARGET FILE...");
    return 2;
}

if (args[0] != "instrument")
{
    Instrumentation.UseScratchCoverageMap();
}

switch (args[0])
{
    case "instrument" when args.Length == 2:
        foreach (var assembly in Instrumentation.Assemblies)
        {
            var types = Fuzzer.Instrument(Path.Combine(args[1], assembly), _ => true, Options.Value);
            Console.WriteLine($"{assembly}: {types.Count()} types instrumented");
        }

        return 0;
    case "list":
        Console.WriteLine(AllTargets.MultiplexName);
        foreach (var target in AllTargets.Singles)
        {
            Console.WriteLine(target.Name);
        }

        return 0;
    case "seeds" when args.Length >= 2:
        var targets = args.Length > 2 ? [Require(args[2])] : AllTargets.Singles.Append(AllTargets.Multiplex);
        foreach (var target in targets)
        {
            var directory = args.Length > 2 ? args[1] : Path.Combine(args[1], target.Name);
            Directory.CreateDirectory(directory);
            for (var i = 0; i < target.Seeds.Count; i++)
            {
                await File.WriteAllBytesAsync(Path.Combine(directory, $"seed-{i:D3}"), target.Seeds[i]);
            }
        }

        return 0;
    case "run" when args.Length == 2:
        var run = Require(args[1]);
        Fuzzer.Run(stream =>
        {
            using var buffer = new MemoryStream();
            stream.CopyTo(buffer);
            run.Run(buffer.GetBuffer().AsSpan(0, (int)buffer.Length));
        });
        return 0;
    case "replay" when args.Length >= 3:
        var replay = Require(args[1]);
        foreach (var file in args.Skip(2))
        {
            replay.Run(await File.ReadAllBytesAsync(file));
        }

        return 0;
    default:
        await Console.Error.WriteLineAsync("unknown command");
        return 2;
}

static FuzzTarget Require(string name) => AllTargets.Find(name) ?? throw new ArgumentException("unknown target: " + name, nameof(name));
