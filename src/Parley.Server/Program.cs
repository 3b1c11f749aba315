using Parley.Server.Accounts;
using Parley.Server.Admin;
using Parley.Server.Authentication;
using Parley.Server.Cluster;
using Parley.Server.Files;
using Parley.Server.Hosting;
using Parley.Server.Keys;
using Parley.Server.Metrics;
using Parley.Server.Relay;
using Parley.Server.Storage;

// Admin commands (fingerprint, users add, invites create) run and exit without serving.
if (AdminCommands.IsAdminCommand(args))
{
    return await AdminCommands.RunAsync(args).ConfigureAwait(false);
}

var builder = ParleyHost.CreateBuilder(args);
builder.Services.AddStorage();
builder.Services.AddTokenAuthentication();
builder.Services.AddAccounts();
builder.Services.AddKeys();
builder.Services.AddRelay();
builder.Services.AddCluster(builder.Configuration);
builder.Services.AddFiles();

var app = builder.Build();
app.UseParleyPipeline();
app.MapHealth();
app.MapAccounts();
app.MapKeys();
app.MapRelay();
app.MapParleyMetrics();
app.MapFiles();
await app.RunAsync().ConfigureAwait(false);
return 0;

/// <summary>The entry point; public so tests can host it with WebApplicationFactory.</summary>
public partial class Program;
