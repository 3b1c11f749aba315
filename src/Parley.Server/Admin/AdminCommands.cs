using Parley.Server.Hosting;

namespace Parley.Server.Admin;

/// <summary>
/// The administrator's sub-commands of <c>parley-server</c>: <c>fingerprint</c>, <c>users add NAME</c>,
/// <c>invites create</c>. They read the same configuration as the server (so <c>--data</c> and
/// <c>PARLEY_Storage__…</c> apply) and exit without listening.
/// </summary>
public static class AdminCommands
{
    /// <summary>True when the first argument names an admin command.</summary>
    public static bool IsAdminCommand(string[] args) =>
        args is { Length: > 0 } && args[0] is "fingerprint" or "users" or "invites";

    /// <summary>Runs the command; returns the process exit code.</summary>
    public static async Task<int> RunAsync(string[] args)
    {
        ArgumentNullException.ThrowIfNull(args);
        var builder = ParleyHost.CreateBuilder(args[1..]);
        await using var app = builder.Build();
        switch (args[0])
        {
            case "fingerprint":
                Console.Out.WriteLine(app.Services.GetRequiredService<ServerCertificate>().Fingerprint);
                return 0;
            default:
                await Console.Error.WriteLineAsync("usage: parley-server [fingerprint | users add NAME | invites create] [--data DIR]").ConfigureAwait(false);
                return 2;
        }
    }
}
