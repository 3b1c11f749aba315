using System.CommandLine;
using Parley.Cli.Input;
using Parley.Cli.Output;
using Parley.Client;
using Parley.Client.Diagnostics;
using Parley.Client.Errors;
using Parley.Client.Profiles;
using Parley.Daemon.Api;
using Parley.Daemon.Hosting;
using Parley.Daemon.Local;
using Parley.Daemon.Remote;

namespace Parley.Cli.Commands;

/// <summary>
/// Runs a command's body and turns every expected failure into one sentence on stderr and a
/// non-zero exit code. Unexpected exceptions are bugs: they print a generic sentence (never the
/// exception's text, which might hold data) and exit 1.
/// </summary>
internal static class CommandRunner
{
    public static void SetAction(this Command command, Func<CommandContext, CancellationToken, Task<int>> body)
    {
        command.SetAction(async (parse, ct) =>
        {
            var context = new CommandContext(parse);
            try
            {
                return await body(context, ct).ConfigureAwait(false);
            }
            catch (ParleyClientException e)
            {
                return Fail(context, ErrorSentences.Name(e.Kind), ErrorSentences.For(e), ErrorSentences.ExitCode(e.Kind));
            }
            catch (CliException e)
            {
                return Fail(context, e.Kind, e.Message, e.ExitCode);
            }
            catch (ApiException e) when (e.Kind is { } kind)
            {
                return Fail(context, ErrorSentences.Name(kind), e.Message, ErrorSentences.ExitCode(kind));
            }
            catch (ApiException e)
            {
                return Fail(context, e.Code == ApiErrorCodes.LocalFileError ? "local-file" : "failed", e.Message, ExitCodes.Failure);
            }
            catch (DaemonAlreadyRunningException e)
            {
                return Fail(context, "daemon-running", e.Message, ExitCodes.Failure);
            }
            catch (OperationCanceledException)
            {
                return Fail(context, "interrupted", "Interrupted.", ExitCodes.Interrupted);
            }
            catch (IOException)
            {
                return Fail(context, "local-file", "A local file could not be read or written; check the home directory's permissions and free space.", ExitCodes.Failure);
            }
            catch (UnauthorizedAccessException)
            {
                return Fail(context, "local-file", "A local file could not be read or written; check the home directory's permissions.", ExitCodes.Failure);
            }
#pragma warning disable CA1031 // The last line of defence: a bug must still end in one sentence, without data from the exception.
            catch (Exception e)
            {
                var detail = Environment.GetEnvironmentVariable("PARLEY_DEBUG") == "1" ? " (" + e.GetType().Name + ")" : string.Empty;
                return Fail(context, "internal", "An unexpected internal error stopped the command" + detail + ".", ExitCodes.Failure);
            }
#pragma warning restore CA1031
        });
    }

    private static int Fail(CommandContext context, string kind, string sentence, int code)
    {
        CliOutput.Failure(context.Json, kind, sentence, code);
        return code;
    }
}

/// <summary>What a command body needs: the parse result, the home, the output, options for the SDK.</summary>
internal sealed class CommandContext
{
    public CommandContext(ParseResult parse)
    {
        Parse = parse;
        Output = new CliOutput(parse.GetValue(GlobalOptions.Json));
    }

    public ParseResult Parse { get; }

    public CliOutput Output { get; }

    public bool Json => Output.IsJson;

    public ParleyHome Home => new(ParleyHome.ResolveRoot(Parse.GetValue(GlobalOptions.Home)));

    public ClientOptions Options => _options ??= CreateOptions(Parse);

    /// <summary>The debug view, when <c>--debug</c> was given.</summary>
    public ProtocolTrace? Trace => Options.Trace;

    private ClientOptions? _options;

    public T? Get<T>(Option<T> option) => Parse.GetValue(option);

    public T Get<T>(Argument<T> argument) => Parse.GetValue(argument)!;

    /// <summary>The profile named by <c>--as</c>, or null for the current one.</summary>
    public string? Profile => Parse.GetValue(GlobalOptions.Profile);

    /// <summary>
    /// The API every command works through: the running daemon's (over its Unix socket) when there is
    /// one — so no command opens a second relay connection or fights over the store — else this
    /// process's own. Output and exit codes are the same either way.
    /// </summary>
    public IParleyApi OpenApi()
    {
        var home = Home;
        if (RemoteApi.TryConnect(home, Options.KeyCache) is { } remote)
        {
            if (Trace is { } trace)
            {
                trace.Note("served by the running daemon: its relay frames are printed by 'parley daemon --debug'");
                remote.Trace = trace;
            }

            return remote;
        }

        return new LocalApi(home, Options);
    }

    /// <summary>Opens the logged-in client for the selected profile (<c>--as</c>) or the current one, in this process.</summary>
    public ParleyClient Resume() => ParleyClient.Resume(Home, Profile, Options);

    /// <summary>Parameters for the selected profile.</summary>
    public ProfileParams ProfileParams() => new() { Profile = Profile };

    private static ClientOptions CreateOptions(ParseResult parse)
    {
        bool plaintext = parse.GetValue(GlobalOptions.DebugPlaintext);
        return plaintext || parse.GetValue(GlobalOptions.Debug)
            ? new ClientOptions { Trace = new ProtocolTrace(Console.Error, plaintext) }
            : ClientOptions.Default;
    }
}
