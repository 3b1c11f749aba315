using System.CommandLine;
using Parley.Server.Hosting;
using Parley.Server.Relay;

namespace Parley.Server.Admin;

/// <summary>
/// The <c>parley-server</c> command line (System.CommandLine): without a command it serves; the admin
/// commands (<c>fingerprint</c>, <c>users add</c>, <c>invites create</c>, <c>stats</c>) run and exit.
/// Every command takes <c>--data DIR</c> and configuration overrides written <c>--Section:Key=value</c>
/// (or <c>--Section:Key value</c>); any other unknown argument is a usage error (exit 2).
/// </summary>
public static class ServerCommandLine
{
    /// <summary>Exit code of a usage error.</summary>
    public const int UsageExitCode = 2;

    /// <summary><c>--data DIR</c>, on every command.</summary>
    internal static readonly Option<string?> Data = new("--data")
    {
        Description = "The data directory: database, TLS certificate, server secret, blobs (default ./parley-data).",
        HelpName = "DIR",
        Recursive = true,
    };

    private static readonly Option<string?> Urls = new("--urls")
    {
        Description = "Public addresses, separated by ';' (default https://127.0.0.1:8443). Use 0.0.0.0 for every interface.",
        HelpName = "URLS",
    };

    private static readonly Option<bool> Http = new("--http")
    {
        Description = "Serve plain HTTP instead of HTTPS, only behind a TLS-terminating proxy (default address http://127.0.0.1:8080).",
    };

    private static readonly Option<string?> LogFormat = CreateLogFormat();

    /// <summary>Parses <paramref name="args"/> and runs the command; <paramref name="serve"/> runs the server.</summary>
    public static async Task<int> RunAsync(string[] args, Func<string[], Task<int>> serve)
    {
        ArgumentNullException.ThrowIfNull(args);
        ArgumentNullException.ThrowIfNull(serve);
        var root = Build(serve);
        var parse = root.Parse(args, new ParserConfiguration { ResponseFileTokenReplacer = null });
        var problem = parse.Errors.Select(e => e.Message).FirstOrDefault() ?? CheckOverrides(parse.UnmatchedTokens);
        if (problem is not null)
        {
            await Console.Error.WriteLineAsync("parley-server: " + problem + " See 'parley-server --help'.").ConfigureAwait(false);
            return UsageExitCode;
        }
        // ProcessTerminationTimeout = null: Ctrl-C and SIGTERM belong to the host, which stops gracefully
        // (sockets closed, queue flushed) and exits 0; System.CommandLine would give up after 2 s with 130.
        return await parse.InvokeAsync(new InvocationConfiguration { EnableDefaultExceptionHandler = false, ProcessTerminationTimeout = null })
            .ConfigureAwait(false);
    }

    /// <summary>The configuration arguments of a parse: <c>--data</c> and the overrides, in host syntax.</summary>
    internal static string[] Configuration(ParseResult parse, params string[] extra)
    {
        var result = new List<string>();
        if (parse.GetValue(Data) is { } data)
        {
            result.Add("--Parley:DataDirectory=" + data);
        }
        result.AddRange(extra);
        result.AddRange(parse.UnmatchedTokens);
        return [.. result];
    }

    private static RootCommand Build(Func<string[], Task<int>> serve)
    {
        var root = new RootCommand(
            "The Parley server: relays end-to-end encrypted messages it cannot read, manages accounts, contacts and " +
            "encrypted files. Without a command it serves until Ctrl-C or SIGTERM.\n" +
            "Configuration: appsettings.json beside the program, PARLEY_Section__Key environment variables, and " +
            "--Section:Key=value arguments (docs/OPERATIONS.md lists every key).\n" +
            "Exit codes: 0 success, 1 failure, 2 usage or configuration error.")
        {
            TreatUnmatchedTokensAsErrors = false,
        };
        root.Add(Data);
        root.Add(Urls);
        root.Add(Http);
        root.Add(LogFormat);
        root.SetAction((parse, _) =>
        {
            var extra = new List<string>();
            if (parse.GetValue(Urls) is { } urls)
            {
                extra.Add("--Parley:Urls=" + urls);
            }
            if (parse.GetValue(Http))
            {
                extra.Add("--Parley:Http=true");
            }
            if (parse.GetValue(LogFormat) is { } format)
            {
                extra.Add("--Logging:Console:FormatterName=" + format);
            }
            return serve(Configuration(parse, [.. extra]));
        });
        foreach (var command in (Command[])[AdminCommands.Fingerprint(), AdminCommands.Users(), AdminCommands.Invites(), StatsCommand.Build()])
        {
            Allow(command);
            root.Add(command);
        }
        return root;
    }

    private static void Allow(Command command)
    {
        command.TreatUnmatchedTokensAsErrors = false;
        foreach (var sub in command.Subcommands)
        {
            Allow(sub);
        }
    }

    /// <summary>Null when every unmatched token is a configuration override, else the usage error.</summary>
    private static string? CheckOverrides(IReadOnlyList<string> tokens)
    {
        for (var i = 0; i < tokens.Count; i++)
        {
            var token = tokens[i];
            var isKey = token.StartsWith("--", StringComparison.Ordinal) && token.Length > 2;
            if (isKey && token.Contains('=', StringComparison.Ordinal))
            {
                continue;
            }
            if (isKey && token.Contains(':', StringComparison.Ordinal) && i + 1 < tokens.Count)
            {
                i++;
                continue;
            }
            return "Unrecognized argument '" + token + "' (configuration overrides are written --Section:Key=value).";
        }
        return null;
    }

    private static Option<string?> CreateLogFormat()
    {
        var option = new Option<string?>("--log-format")
        {
            Description = "Console log format: simple (one line per event, UTC timestamps; the default), json (one JSON " +
                "object per line, for log collectors) or systemd (journald priorities; the default under systemd).",
            HelpName = "FORMAT",
        };
        option.AcceptOnlyFromAmong("simple", "json", "systemd");
        return option;
    }
}
