namespace Parley.Server.Hosting;

/// <summary>
/// The OpenAPI document of the REST API (Microsoft.AspNetCore.OpenApi), served anonymously at
/// <see cref="Path"/>. It lists routes, methods, parameters and bodies; the byte-exact meaning of each
/// field stays in docs/PROTOCOL.md, whose route tables a test checks against this document. The
/// WebSocket (<c>/v1/ws</c>) and the health checks are not part of it.
/// </summary>
public static class OpenApiDocument
{
    /// <summary>The document's name.</summary>
    public const string Name = "v1";

    /// <summary>Where the document is served.</summary>
    public const string Path = "/openapi/v1.json";

    /// <summary>Adds the document generator.</summary>
    public static IServiceCollection AddParleyOpenApi(this IServiceCollection services) =>
        services.AddOpenApi(Name, options => options.AddDocumentTransformer((document, _, _) =>
        {
            document.Info.Title = "Parley REST API";
            document.Info.Description = "Accounts (SRP-6a), key directory, contacts and files. Byte-exact formats: docs/PROTOCOL.md.";
            return Task.CompletedTask;
        }));

    /// <summary>Maps <see cref="Path"/>.</summary>
    public static IEndpointRouteBuilder MapParleyOpenApi(this IEndpointRouteBuilder endpoints)
    {
        endpoints.MapOpenApi("/openapi/{documentName}.json").AllowAnonymous();
        return endpoints;
    }
}
