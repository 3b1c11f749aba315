using System.Security.Cryptography;
using Microsoft.Extensions.Options;

namespace Parley.Server.Hosting;

/// <summary>
/// Turns an exception thrown while the server (or an admin command) starts into what the operator
/// sees: one sentence on standard error and an exit code — 2 for a configuration mistake, 1 for an
/// environment failure (address in use, unreadable data directory) — never a stack trace. Anything
/// else is a bug and is left to propagate.
/// </summary>
public static class StartupFailure
{
    /// <summary>Exit code of a configuration mistake (same as a usage error).</summary>
    public const int ConfigurationExitCode = 2;

    /// <summary>Exit code of a failure of the environment.</summary>
    public const int EnvironmentExitCode = 1;

    /// <summary>The sentence and exit code for <paramref name="exception"/>, or null when it is a bug.</summary>
    public static (int ExitCode, string Sentence)? Describe(Exception exception)
    {
        ArgumentNullException.ThrowIfNull(exception);
        if (exception is AggregateException { InnerExceptions.Count: 1 } aggregate)
        {
            return Describe(aggregate.InnerExceptions[0]);
        }
        return exception switch
        {
            OptionsValidationException invalid => (ConfigurationExitCode,
                "Invalid configuration: " + string.Join(" ", invalid.Failures.Select(Sentence))),
            ServerConfigurationException configuration => (ConfigurationExitCode, Sentence(configuration.Message)),
            // The configuration binder: "Failed to convert configuration value at 'Relay:QueueTtl' to type 'System.TimeSpan'."
            InvalidOperationException { InnerException: FormatException or InvalidCastException or OverflowException or ArgumentException } binder
                => (ConfigurationExitCode, Sentence(binder.Message)),
            CryptographicException => (ConfigurationExitCode,
                "The TLS certificate could not be loaded; check Tls:CertificatePath, Tls:KeyPath and Tls:CertificatePassword."),
            FileNotFoundException or DirectoryNotFoundException => (ConfigurationExitCode, Sentence(exception.Message)),
            UnauthorizedAccessException => (EnvironmentExitCode, Sentence(exception.Message)),
            IOException => (EnvironmentExitCode, Sentence(exception.Message)),
            _ => null,
        };
    }

    /// <summary>Writes the description to standard error and returns the exit code, or rethrows a bug.</summary>
    public static int Report(Exception exception)
    {
        var described = Describe(exception);
        if (described is not { } known)
        {
            System.Runtime.ExceptionServices.ExceptionDispatchInfo.Capture(exception).Throw();
            return EnvironmentExitCode;
        }
        Console.Error.WriteLine("parley-server: " + known.Sentence);
        return known.ExitCode;
    }

    private static string Sentence(string message)
    {
        var trimmed = message.Trim();
        return trimmed.EndsWith('.') ? trimmed : trimmed + ".";
    }
}
