using Parley.Server.Hosting;
using Parley.Server.Storage;
using Parley.Server.Throttling;

namespace Parley.Server.Accounts;

/// <summary>Registration and routes of the accounts feature.</summary>
public static class AccountsExtensions
{
    /// <summary>Adds account storage, services, schema and the expiry sweeper.</summary>
    public static IServiceCollection AddAccounts(this IServiceCollection services)
    {
        services.AddValidatedOptions<AccountOptions>(AccountOptions.SectionName);
        services.AddSingleton<IMigrationSource, AccountMigrations>();
        services.AddSingleton<IAccountStore, SqlAccountStore>();
        services.AddSingleton<LoginChallengeStore>();
        services.AddSingleton<FakeCredentials>();
        services.AddThrottling();
        services.AddSingleton<LoginThrottle>();
        services.AddSingleton<DeviceCookies>();
        services.AddSingleton<ProofOfWorkService>();
        services.AddSingleton<LoginService>();
        services.AddSingleton<AccountService>();
        services.AddHostedService<ExpirySweeper>();
        return services;
    }

    /// <summary>Maps the account endpoints under <c>/v1</c>.</summary>
    public static IEndpointRouteBuilder MapAccounts(this IEndpointRouteBuilder endpoints) => endpoints.MapAccountEndpoints();
}
