using System.Globalization;

namespace Parley.LoadGen;

/// <summary>
/// CPU time (user + system) a process has used so far, read from <c>/proc/PID/stat</c> (Linux; clock
/// ticks of 10 ms here, so phases must run for seconds, not milliseconds), and the machine's load.
/// </summary>
internal static class ProcessCpu
{
    private static readonly double TicksPerSecond = 100; // USER_HZ; `getconf CLK_TCK` on Linux

    /// <summary>Seconds of CPU used by <paramref name="pid"/> (0 = not measured, or gone).</summary>
    public static double ReadSeconds(int pid)
    {
        if (pid <= 0)
        {
            return 0;
        }

        string stat;
        try
        {
            stat = File.ReadAllText($"/proc/{pid}/stat");
        }
        catch (IOException)
        {
            return 0;
        }

        // The command name (field 2) is in parentheses and may hold spaces: count fields after the last ')'.
        var fields = stat[(stat.LastIndexOf(')') + 2)..].Split(' ');
        var utime = long.Parse(fields[11], CultureInfo.InvariantCulture);
        var stime = long.Parse(fields[12], CultureInfo.InvariantCulture);
        return (utime + stime) / TicksPerSecond;
    }

    /// <summary>Seconds of CPU used by all of <paramref name="pids"/> together.</summary>
    public static double ReadSeconds(IEnumerable<int> pids) => pids.Sum(ReadSeconds);

    /// <summary>This process's CPU seconds (finer grained than /proc).</summary>
    public static double ReadSelfSeconds() => System.Diagnostics.Process.GetCurrentProcess().TotalProcessorTime.TotalSeconds;

    /// <summary>The 1-minute load average, as <c>uptime</c> shows it.</summary>
    public static double LoadAverage() =>
        double.Parse(File.ReadAllText("/proc/loadavg").Split(' ')[0], CultureInfo.InvariantCulture);
}
