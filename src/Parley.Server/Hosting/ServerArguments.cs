namespace Parley.Server.Hosting;

/// <summary>Maps the short command-line switches onto configuration keys.</summary>
public static class ServerArguments
{
    /// <summary>
    /// <c>--data DIR</c> → <c>Parley:DataDirectory</c>, <c>--http</c> → <c>Parley:Http=true</c>; every
    /// other argument (e.g. <c>--urls URL</c>, <c>--Storage:Provider postgres</c>) passes through.
    /// </summary>
    public static string[] Normalize(IReadOnlyList<string> args)
    {
        ArgumentNullException.ThrowIfNull(args);
        var result = new List<string>(args.Count);
        for (var i = 0; i < args.Count; i++)
        {
            var arg = args[i];
            if (arg == "--http")
            {
                result.Add("--Parley:Http=true");
            }
            else if (arg == "--data" && i + 1 < args.Count)
            {
                result.Add("--Parley:DataDirectory=" + args[++i]);
            }
            else if (arg.StartsWith("--data=", StringComparison.Ordinal))
            {
                result.Add("--Parley:DataDirectory=" + arg["--data=".Length..]);
            }
            else
            {
                result.Add(arg);
            }
        }
        return [.. result];
    }
}
