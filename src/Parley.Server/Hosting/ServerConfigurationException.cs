namespace Parley.Server.Hosting;

/// <summary>
/// A configuration value the server cannot start with. Its message is one sentence naming the key,
/// printed as is on standard error (exit code 2); it never carries a secret value.
/// </summary>
public sealed class ServerConfigurationException : InvalidOperationException
{
    /// <summary>Creates the exception with its sentence.</summary>
    public ServerConfigurationException(string message)
        : base(message)
    {
    }

    /// <summary>Creates the exception with its sentence and cause.</summary>
    public ServerConfigurationException(string message, Exception innerException)
        : base(message, innerException)
    {
    }

    /// <summary>Creates the exception with a generic sentence.</summary>
    public ServerConfigurationException()
        : base("The server configuration is invalid.")
    {
    }
}
