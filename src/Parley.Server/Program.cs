using Parley.Server.Accounts;
using Parley.Server.Admin;
using Parley.Server.Authentication;
using Parley.Server.Calls;
using Parley.Server.Cluster;
using Parley.Server.Files;
using Parley.Server.Hosting;
using Parley.Server.Keys;
using Parley.Server.Relay;
using Parley.Server.Storage;

// The command line: without a command, ServeAsync below; admin commands (fingerprint, users add,
// invites create, stats) run and exit without serving. `parley-server --help` lists them.
return await ServerCommandLine.RunAsync(args, ServeAsync).ConfigureAwait(false);

static async Task<int> ServeAsync(string[] configuration)
{
    WebApplication app;
    try
    {
        var builder = ParleyHost.CreateBuilder(configuration);
        builder.Services.AddStorage();
        builder.Services.AddTokenAuthentication();
        builder.Services.AddAccounts();
        builder.Services.AddKeys();
        builder.Services.AddRelay();
        builder.Services.AddCluster(builder.Configuration);
        builder.Services.AddFiles();
        builder.Services.AddCalls();

        app = builder.Build();
        app.UseParleyPipeline();
        app.MapHealth();
        app.MapParleyOpenApi();
        app.MapAccounts();
        app.MapKeys();
        app.MapRelay();
        app.MapFiles();
        app.MapCalls();
        app.CheckConfiguration(serving: true);
        await app.StartAsync().ConfigureAwait(false);
    }
    catch (Exception exception) when (StartupFailure.Describe(exception) is not null)
    {
        // A bad configuration value or a busy port: one sentence and an exit code, no stack trace.
        return StartupFailure.Report(exception);
    }
    await app.WaitForShutdownAsync().ConfigureAwait(false);
    await app.DisposeAsync().ConfigureAwait(false);
    return 0;
}

/// <summary>The entry point; public so tests can host it with WebApplicationFactory.</summary>
public partial class Program;
