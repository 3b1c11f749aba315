using Parley.Cli.Output;
using Parley.Client.Errors;

namespace Parley.Cli.Input;

/// <summary>
/// A failure the command line phrases itself (one sentence naming what is wrong), as opposed to a
/// typed client error, with its exit code and the name used in <c>--json</c> error objects.
/// </summary>
internal sealed class CliException : Exception
{
    public CliException(string sentence)
        : this(sentence, ExitCodes.Failure, "failed")
    {
    }

    public CliException(string sentence, int exitCode, string kind)
        : base(sentence)
    {
        ExitCode = exitCode;
        Kind = kind;
    }

    public CliException()
        : this("The command failed.")
    {
    }

    public CliException(string message, Exception innerException)
        : base(message, innerException)
    {
        ExitCode = ExitCodes.Failure;
        Kind = "failed";
    }

    /// <summary>The process exit code.</summary>
    public int ExitCode { get; }

    /// <summary>The error's name in JSON error objects.</summary>
    public string Kind { get; }

    /// <summary>A usage error (exit code 2): a bad argument or option value.</summary>
    public static CliException Usage(string sentence) => new(sentence, ExitCodes.Usage, "usage");

    public static CliException From(ClientErrorKind kind) => new(ErrorSentences.For(kind), ErrorSentences.ExitCode(kind), ErrorSentences.Name(kind));
}
