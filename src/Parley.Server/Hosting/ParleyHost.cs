using System.Security.Authentication;
using Microsoft.AspNetCore.HttpOverrides;
using Microsoft.AspNetCore.Server.Kestrel.Core;
using Microsoft.Extensions.Options;
using Parley.Server.Metrics;

namespace Parley.Server.Hosting;

/// <summary>
/// Builds the web host: configuration sources (appsettings.json, <c>PARLEY_</c> environment
/// variables, command line with <c>--data</c>, <c>--urls</c>, <c>--http</c>), the data directory,
/// TLS on Kestrel, problem responses and the start-up banner. Features are added by Program.cs.
/// </summary>
public static class ParleyHost
{
    /// <summary>Creates the builder with everything every feature relies on.</summary>
    public static WebApplicationBuilder CreateBuilder(string[] args)
    {
        var normalized = ServerArguments.Normalize(args);
        var builder = WebApplication.CreateBuilder(new WebApplicationOptions
        {
            Args = normalized,
            ContentRootPath = AppContext.BaseDirectory,
        });
        builder.Configuration.AddEnvironmentVariables("PARLEY_");
        builder.Configuration.AddCommandLine(normalized);

        // These categories log request paths (which carry usernames: /v1/keys/{username}), bound
        // parameter values or client addresses at Information/Debug. They stay at Warning whatever the
        // configuration says, so turning logs up never records who looks up whom.
        foreach (var category in (string[])["Microsoft.AspNetCore.Hosting.Diagnostics", "Microsoft.AspNetCore.Routing",
            "Microsoft.AspNetCore.Http", "Microsoft.AspNetCore.Server.Kestrel", "Microsoft.AspNetCore.HttpLogging"])
        {
            builder.Logging.AddFilter(category, LogLevel.Warning);
        }

        var services = builder.Services;
        services.AddOptions<ParleyServerOptions>().BindConfiguration(ParleyServerOptions.SectionName);
        services.AddOptions<TlsOptions>().BindConfiguration(TlsOptions.SectionName);
        services.AddSingleton(TimeProvider.System);
        services.AddSingleton(sp => new ServerDataDirectory(
            sp.GetRequiredService<IOptions<ParleyServerOptions>>().Value.DataDirectory));
        services.AddSingleton<ServerCertificate>();
        services.AddSingleton<ServerSecret>();
        services.AddProblemDetails();
        services.AddExceptionHandler<ProblemExceptionHandler>();
        services.Configure<RouteHandlerOptions>(o => o.ThrowOnBadRequest = true);
        services.AddHostedService<StartupBanner>();
        services.AddParleyMetrics();
        builder.WebHost.ConfigureKestrel((context, kestrel) => ConfigureKestrel(context.Configuration, kestrel));
        return builder;
    }

    /// <summary>The middleware every request passes: problems, routing, body limits, authentication.</summary>
    public static WebApplication UseParleyPipeline(this WebApplication app)
    {
        ArgumentNullException.ThrowIfNull(app);
        if (app.Services.GetRequiredService<IOptions<ParleyServerOptions>>().Value.Http)
        {
            // Behind a TLS-terminating proxy: take the client address (for throttling) and scheme from
            // X-Forwarded-For/-Proto, trusting only a proxy on the loopback interface (the default list).
            var forwarded = new ForwardedHeadersOptions
            {
                ForwardedHeaders = ForwardedHeaders.XForwardedFor | ForwardedHeaders.XForwardedProto,
            };
            // A cluster's nginx runs on another machine: its address is listed in Parley:TrustedProxies.
            foreach (var proxy in app.Services.GetRequiredService<IOptions<ParleyServerOptions>>().Value.TrustedProxies)
            {
                forwarded.KnownProxies.Add(System.Net.IPAddress.Parse(proxy));
            }

            app.UseForwardedHeaders(forwarded);
        }
        app.UseRequestMetrics();
        app.UseExceptionHandler();
        app.UseStatusCodePages();
        app.UseRouting();
        app.UseRouteCapture();
        app.UseBodyLimit();
        app.UseAuthentication();
        app.UseAuthorization();
        app.UseWebSockets();
        return app;
    }

    private static void ConfigureKestrel(IConfiguration configuration, KestrelServerOptions kestrel)
    {
        var options = configuration.GetSection(ParleyServerOptions.SectionName).Get<ParleyServerOptions>() ?? new();
        kestrel.AddServerHeader = false;
        kestrel.Limits.MaxRequestBodySize = BodyLimit.DefaultBytes;
        kestrel.Limits.MaxRequestHeadersTotalSize = 16 * 1024;
        var urls = configuration["urls"];
        if (!options.Http && urls is not null && urls.Contains("http://", StringComparison.OrdinalIgnoreCase))
        {
            throw new InvalidOperationException(
                "Refusing to listen on plain HTTP; pass --http (Parley:Http=true) when a TLS proxy is in front.");
        }
        if (options.Http)
        {
            if (urls is null)
            {
                kestrel.Listen(System.Net.IPAddress.Loopback, new Uri(ParleyServerOptions.DefaultHttpUrl).Port);
            }
            return;
        }
        var certificate = kestrel.ApplicationServices.GetRequiredService<ServerCertificate>().Certificate;
        kestrel.ConfigureHttpsDefaults(https =>
        {
            https.ServerCertificate = certificate;
            https.SslProtocols = SslProtocols.Tls13;
        });
        if (urls is null)
        {
            kestrel.Listen(System.Net.IPAddress.Loopback, new Uri(ParleyServerOptions.DefaultHttpsUrl).Port,
                listen => listen.UseHttps());
        }
    }
}
