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
