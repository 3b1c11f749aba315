using System.Globalization;

namespace Parley.LoadGen;

/// <summary>Reads a process's resident set size from /proc/PID/status (Linux).</summary>
internal static class ServerMemory
{
    public static long ReadRssKiB(int pid)
    {
        if (pid <= 0)
        {
            return 0;
        }

        foreach (var line in File.ReadLines($"/proc/{pid}/status"))
        {
            if (line.StartsWith("VmRSS:", StringComparison.Ordinal))
            {
                return long.Parse(line["VmRSS:".Length..].Trim().Split(' ')[0], CultureInfo.InvariantCulture);
            }
        }

        return 0;
    }
}

/// <summary>Reads processes' CPU time (user + system) from /proc/PID/stat (Linux).</summary>
internal static class ServerCpu
{
    /// <summary>Summed CPU milliseconds of the processes (0 when none are given).</summary>
    public static double ReadMilliseconds(IReadOnlyList<int> pids)
    {
        double total = 0;
        foreach (var pid in pids)
        {
            var stat = File.ReadAllText($"/proc/{pid}/stat");
            var fields = stat[(stat.LastIndexOf(')') + 2)..].Split(' ');
            // Fields after the command name start at field 3 (state); utime and stime are fields 14 and 15.
            total += long.Parse(fields[11], CultureInfo.InvariantCulture) + long.Parse(fields[12], CultureInfo.InvariantCulture);
        }

        return total * 1000.0 / ClockTicksPerSecond;
    }

    /// <summary>USER_HZ: 100 on every Linux this runs on.</summary>
    private const double ClockTicksPerSecond = 100;
}
