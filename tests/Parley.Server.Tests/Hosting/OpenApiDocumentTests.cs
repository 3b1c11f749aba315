using System.Text.Json;
using System.Text.RegularExpressions;
using Parley.Server.Storage;
using Parley.Server.Tests.Infrastructure;

namespace Parley.Server.Tests.Hosting;

/// <summary>
/// <c>/openapi/v1.json</c> and docs/PROTOCOL.md list the same REST routes: every route in a table of
/// the protocol document (first cell <c>`METHOD /path…`</c>) is in the OpenAPI document, and every
/// operation of the OpenAPI document is in a table. Path parameters compare by position, whatever
/// their names (<c>{u}</c>, <c>{username}</c>, <c>ID</c>).
/// </summary>
public sealed partial class OpenApiDocumentTests : IDisposable
{
    private static readonly TimeSpan Timeout = TimeSpan.FromSeconds(60);
    private readonly ParleyServerFactory factory = new(DatabaseKind.Sqlite, null);

    [Fact]
    public async Task The_openapi_document_and_the_protocol_tables_list_the_same_routes()
    {
        using var client = factory.CreateClient();
        using var response = await client.GetAsync(new Uri("/openapi/v1.json", UriKind.Relative)).WaitAsync(Timeout);
        Assert.Equal(System.Net.HttpStatusCode.OK, response.StatusCode);
        using var document = JsonDocument.Parse(await response.Content.ReadAsStringAsync().WaitAsync(Timeout));
        Assert.StartsWith("3.", document.RootElement.GetProperty("openapi").GetString(), StringComparison.Ordinal);
        var served = new SortedSet<string>(StringComparer.Ordinal);
        foreach (var path in document.RootElement.GetProperty("paths").EnumerateObject())
        {
            foreach (var operation in path.Value.EnumerateObject().Where(o => o.Name is not ("parameters" or "summary" or "description")))
            {
                served.Add(Route(operation.Name, path.Name));
            }
        }

        var documented = DocumentedRoutes(await File.ReadAllTextAsync(ProtocolDocument()).WaitAsync(Timeout));
        Assert.True(documented.Count >= 30, "too few routes found in PROTOCOL.md: " + documented.Count);
        Assert.Empty(documented.Except(served));
        Assert.Empty(served.Except(documented));
    }

    [Fact]
    public async Task The_document_is_served_without_a_token_and_leaves_out_the_websocket_and_health()
    {
        using var client = factory.CreateClient();
        var text = await client.GetStringAsync(new Uri("/openapi/v1.json", UriKind.Relative)).WaitAsync(Timeout);
        Assert.Contains("\"/v1/auth/login/start\"", text, StringComparison.Ordinal);
        Assert.DoesNotContain("\"/v1/ws\"", text, StringComparison.Ordinal);
        Assert.DoesNotContain("\"/healthz\"", text, StringComparison.Ordinal);
        Assert.DoesNotContain("\"/metrics\"", text, StringComparison.Ordinal);
    }

    public void Dispose() => factory.Dispose();

    /// <summary>Every route named in the first cell of a table row of the protocol document.</summary>
    internal static SortedSet<string> DocumentedRoutes(string markdown)
    {
        var routes = new SortedSet<string>(StringComparer.Ordinal);
        foreach (Match match in TableRoute().Matches(markdown))
        {
            routes.Add(Route(match.Groups["method"].Value, match.Groups["path"].Value));
        }
        return routes;
    }

    private static string Route(string method, string path) =>
        method.ToUpperInvariant() + " " + string.Join('/', path.Split('/').Select(s => s.StartsWith('{') || s == "ID" ? "{}" : s));

    private static string ProtocolDocument()
    {
        var directory = new DirectoryInfo(AppContext.BaseDirectory);
        while (directory is not null && !File.Exists(Path.Combine(directory.FullName, "Parley.slnx")))
        {
            directory = directory.Parent;
        }
        return Path.Combine(directory?.FullName ?? throw new InvalidOperationException("Parley.slnx not found"), "docs", "PROTOCOL.md");
    }

    [GeneratedRegex(@"^\| `(?<method>GET|POST|PUT|PATCH|DELETE|HEAD|OPTIONS) (?<path>/[^ `]*)", RegexOptions.Multiline)]
    private static partial Regex TableRoute();
}
