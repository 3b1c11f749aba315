using Microsoft.Extensions.DependencyInjection.Extensions;
using Parley.Server.Authentication;
using Parley.Server.Hosting;
using Parley.Server.Storage;
using Parley.Server.Throttling;
using Parley.Wire.Rest;

namespace Parley.Server.Keys;

/// <summary>Registration and routes of the key directory (all authenticated).</summary>
public static class KeysExtensions
{
    /// <summary>Largest single-key upload body.</summary>
    public const long MaxSingleBodyBytes = 8 * 1024;

    /// <summary>Largest batch upload body (20 ML-KEM keys in base64, or 100 X25519 keys).</summary>
    public const long MaxBatchBodyBytes = 64 * 1024;

    /// <summary>Adds the key store, service, limits and schema.</summary>
    public static IServiceCollection AddKeys(this IServiceCollection services)
    {
        services.AddValidatedOptions<KeyOptions>(KeyOptions.SectionName);
        services.AddSingleton<IMigrationSource, KeyMigrations>();
        services.AddSingleton<IKeyStore, SqlKeyStore>();
        services.AddThrottling();
        services.TryAddSingleton<Contacts.IContactStore, Contacts.SqlContactStore>(); // bundles go only to related accounts
        services.AddSingleton<FetchRateLimiter>();
        services.AddSingleton<KeyService>();
        return services;
    }

    /// <summary>Maps <c>/v1/keys/…</c>.</summary>
    public static IEndpointRouteBuilder MapKeys(this IEndpointRouteBuilder endpoints)
    {
        var keys = endpoints.MapGroup("/v1/keys").RequireAuthorization();
        keys.MapPut("/identity", async (IdentityKeyUpload body, HttpContext context, KeyService service) =>
        {
            await service.UploadIdentityAsync(context.User.GetAccountId(), body, context.RequestAborted).ConfigureAwait(false);
            return TypedResults.NoContent();
        }).WithBodyLimit(MaxSingleBodyBytes);
        keys.MapPut("/signed-prekey", async (SignedPreKeyUpload body, HttpContext context, KeyService service) =>
        {
            await service.UploadSignedPreKeyAsync(context.User.GetAccountId(), body, context.RequestAborted).ConfigureAwait(false);
            return TypedResults.NoContent();
        }).WithBodyLimit(MaxSingleBodyBytes);
        keys.MapPut("/kem-last-resort", async (KemLastResortUpload body, HttpContext context, KeyService service) =>
        {
            await service.UploadKemLastResortAsync(context.User.GetAccountId(), body, context.RequestAborted).ConfigureAwait(false);
            return TypedResults.NoContent();
        }).WithBodyLimit(MaxSingleBodyBytes);
        keys.MapPut("/cipher-suites", async (CipherSuitesUpload body, HttpContext context, KeyService service) =>
        {
            await service.UploadSuitesAsync(context.User.GetAccountId(), body, context.RequestAborted).ConfigureAwait(false);
            return TypedResults.NoContent();
        }).WithBodyLimit(MaxSingleBodyBytes);
        keys.MapPost("/one-time-prekeys", async (OneTimePreKeysUpload body, HttpContext context, KeyService service) =>
            TypedResults.Ok(await service.UploadOneTimeAsync(context.User.GetAccountId(), body, context.RequestAborted).ConfigureAwait(false)))
            .WithBodyLimit(MaxBatchBodyBytes);
        keys.MapPost("/kem-prekeys", async (KemPreKeysUpload body, HttpContext context, KeyService service) =>
            TypedResults.Ok(await service.UploadKemAsync(context.User.GetAccountId(), body, context.RequestAborted).ConfigureAwait(false)))
            .WithBodyLimit(MaxBatchBodyBytes);
        keys.MapGet("/count", async (HttpContext context, KeyService service) =>
            TypedResults.Ok(await service.CountAsync(context.User.GetAccountId(), context.RequestAborted).ConfigureAwait(false)));
        keys.MapGet("/{username}", async (string username, HttpContext context, KeyService service) =>
            TypedResults.Ok(await service.FetchAsync(context.User.GetAccountId(), username, context.RequestAborted).ConfigureAwait(false)));
        return endpoints;
    }
}
