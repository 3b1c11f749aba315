namespace Parley.Server.Hosting;

/// <summary>
/// Every log event written while a request is served carries the client's address as a scope
/// (<c>client 203.0.113.7</c>; <c>ClientAddress</c> in JSON logs), so a refused login or a protocol
/// violation names where it came from — and nothing else about the request: not its path (which can
/// hold a username), not the account. Behind <c>--http</c> the address is the forwarded one.
/// </summary>
public static class ClientAddressScope
{
    /// <summary>The logger category the scope is opened on.</summary>
    public const string Category = "Parley.Server.Client";

    private static readonly Func<ILogger, string, IDisposable?> Scope = Define();

    /// <summary>The scope (for code that serves a connection outside the request pipeline).</summary>
    public static Func<ILogger, string, IDisposable?> Define() => LoggerMessage.DefineScope<string>("client {ClientAddress}");

    /// <summary>Adds the scope; call after the forwarded-headers middleware.</summary>
    public static IApplicationBuilder UseClientAddressScope(this IApplicationBuilder app)
    {
        ArgumentNullException.ThrowIfNull(app);
        var logger = app.ApplicationServices.GetRequiredService<ILoggerFactory>().CreateLogger(Category);
        return app.Use(async (context, next) =>
        {
            using (Scope(logger, context.Connection.RemoteIpAddress?.ToString() ?? "unknown"))
            {
                await next(context).ConfigureAwait(false);
            }
        });
    }
}
