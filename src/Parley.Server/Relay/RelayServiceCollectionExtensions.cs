using Parley.Server.Hosting;
using Microsoft.Extensions.Options;
using Parley.Server.Accounts;
using Parley.Server.Authentication;
using Parley.Server.Contacts;
using Parley.Server.Presence;
using Parley.Server.Relay.Storage;
using Parley.Server.Storage;
using Parley.Server.Throttling;

namespace Parley.Server.Relay;

/// <summary>Registration of the relay, contacts and presence features.</summary>
public static class RelayServiceCollectionExtensions
{
    /// <summary>Adds the relay's services, schema and background work (after <c>AddStorage</c>).</summary>
    public static IServiceCollection AddRelay(this IServiceCollection services)
    {
        services.AddValidatedOptions<RelayOptions>(RelayOptions.SectionName);
        services.AddSingleton<IMigrationSource, RelayMigrations>();
        services.AddSingleton<IMigrationSource, ContactMigrations>();
        services.AddOptions<ContactOptions>().BindConfiguration(ContactOptions.SectionName);
        services.AddThrottling();
        services.AddSingleton<IMessageQueueStore>(sp =>
            new SqlMessageQueueStore(sp.GetRequiredService<IDatabase>(), sp.GetRequiredService<IOptions<RelayOptions>>().Value.SqliteFullSync));
        services.AddSingleton<IContactStore, SqlContactStore>();
        services.AddSingleton<IAccountLookup, AccountStoreLookup>();
        services.AddSingleton<IAccountDeletionListener, RelayAccountDeletion>();
        services.AddSingleton<ISessionRevocationListener, RelaySessionRevocation>();
        services.AddSingleton<Keys.IPreKeyStockListener, RelayPreKeyStock>();
        services.AddSingleton<QueueDepths>();
        services.AddSingleton<RelayMetrics>();
        services.AddSingleton<GroupCommitWriter>();
        services.AddSingleton<ConnectionRegistry>();
        services.AddSingleton<SenderRateLimiter>();
        services.AddSingleton<ContactGraph>();
        services.AddSingleton<MessageSender>();
        services.AddSingleton<MessageDelivery>();
        services.AddSingleton<RelayUpgradeHandler>();
        services.AddSingleton<IPublicConnectionMiddleware>(sp => sp.GetRequiredService<RelayUpgradeHandler>());
        services.AddSingleton<PresenceService>();
        services.AddSingleton<IRelayCluster, SingleNodeCluster>();
        services.AddSingleton<ContactService>();
        services.AddSingleton<QueueExpiryService>();
        services.AddHostedService(sp => sp.GetRequiredService<QueueExpiryService>());
        services.AddHostedService<RelayShutdown>();
        return services;
    }

    /// <summary>Maps <c>/v1/ws</c> and <c>/v1/contacts</c>.</summary>
    public static IEndpointRouteBuilder MapRelay(this IEndpointRouteBuilder endpoints)
    {
        endpoints.MapRelaySocket();
        endpoints.MapContacts();
        return endpoints;
    }
}
