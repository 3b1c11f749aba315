using Microsoft.AspNetCore.HttpOverrides;
using Microsoft.Extensions.Logging.Console;
using Microsoft.Extensions.Options;
using Parley.Server.Metrics;

namespace Parley.Server.Hosting;

/// <summary>
/// Builds the web host: configuration sources (appsettings.json, <c>PARLEY_</c> environment
/// variables, <c>--Section:Key=value</c> arguments), validated options, the data directory, the
/// listeners (public and metrics) with TLS on Kestrel, logging (timestamps, JSON or journald format,
/// systemd readiness), problem responses and the start-up banner. Features are added by Program.cs.
/// </summary>
public static class ParleyHost
{
    /// <summary>Creates the builder with everything every feature relies on.</summary>
    public static WebApplicationBuilder CreateBuilder(string[] args)
    {
        var builder = WebApplication.CreateBuilder(new WebApplicationOptions
        {
            Args = args,
            ContentRootPath = AppContext.BaseDirectory,
        });
        builder.Configuration.AddEnvironmentVariables("PARLEY_");
        builder.Configuration.AddCommandLine(args);
        ConfigureLogging(builder);

        // The public addresses are bound explicitly (Listeners), together with the metrics listener.
        // --urls arrives as Parley:Urls; a plain "urls" setting (ASPNETCORE_URLS) is honoured too.
        var urls = builder.Configuration[ParleyServerOptions.SectionName + ":" + nameof(ParleyServerOptions.Urls)] ?? builder.Configuration["urls"];

        var services = builder.Services;
        services.AddValidatedOptions<ParleyServerOptions>(ParleyServerOptions.SectionName);
        services.AddValidatedOptions<TlsOptions>(TlsOptions.SectionName);
        services.AddSingleton(TimeProvider.System);
        services.AddSingleton(sp => new ServerDataDirectory(
            sp.GetRequiredService<IOptions<ParleyServerOptions>>().Value.DataDirectory));
        services.AddSingleton<ServerCertificate>();
        services.AddSingleton<ServerSecret>();
        services.AddSingleton<TlsBufferRelease>();
        services.AddSingleton(sp => Listeners.FromConfiguration(urls,
            sp.GetRequiredService<IOptions<ParleyServerOptions>>().Value, sp.GetRequiredService<IOptions<MetricsOptions>>().Value));
        services.AddProblemDetails();
        services.AddExceptionHandler<ProblemExceptionHandler>();
        services.Configure<RouteHandlerOptions>(o => o.ThrowOnBadRequest = true);
        services.AddHostedService<StartupBanner>();
        services.AddParleyMetrics();
        services.AddParleyOpenApi();
        builder.WebHost.ConfigureKestrel((_, kestrel) =>
        {
            kestrel.AddServerHeader = false;
            kestrel.Limits.MaxRequestBodySize = BodyLimit.DefaultBytes;
            kestrel.Limits.MaxRequestHeadersTotalSize = 16 * 1024;
            var certificate = kestrel.ApplicationServices.GetRequiredService<ServerCertificate>();
            kestrel.ApplicationServices.GetRequiredService<Listeners>().Bind(kestrel, () => certificate.Certificate,
                kestrel.ApplicationServices.GetServices<IPublicConnectionMiddleware>(),
                kestrel.ApplicationServices.GetRequiredService<TlsBufferRelease>());
        });
        return builder;
    }

    /// <summary>
    /// Checks the configuration now, before anything starts, so that a bad value surfaces as one
    /// exception for <see cref="StartupFailure"/> rather than inside the host's start-up log: options
    /// validation (what <c>ValidateOnStart</c> would run), and for a serving host the listeners and
    /// the TLS certificate.
    /// </summary>
    public static void CheckConfiguration(this IHost app, bool serving)
    {
        ArgumentNullException.ThrowIfNull(app);
        foreach (var validator in app.Services.GetServices<IStartupValidator>())
        {
            validator.Validate();
        }
        if (serving)
        {
            app.Services.GetRequiredService<Listeners>();
            if (!app.Services.GetRequiredService<IOptions<ParleyServerOptions>>().Value.Http)
            {
                _ = app.Services.GetRequiredService<ServerCertificate>().Certificate;
            }
        }
    }

    /// <summary>The middleware every request passes: metrics listener, problems, routing, request metrics, body limits, authentication.</summary>
    public static WebApplication UseParleyPipeline(this WebApplication app)
    {
        ArgumentNullException.ThrowIfNull(app);
        app.UseMetricsListener();
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
        app.UseClientAddressScope();
        app.UseExceptionHandler();
        app.UseStatusCodePages();
        app.UseRouting();
        app.UseRequestMetrics();
        app.UseBodyLimit();
        app.UseAuthentication();
        app.UseAuthorization();
        app.UseWebSockets();
        return app;
    }

    private static void ConfigureLogging(WebApplicationBuilder builder)
    {
        // These categories log request paths (which carry usernames: /v1/keys/{username}), bound
        // parameter values or client addresses at Information/Debug. They stay at Warning whatever the
        // configuration says, so turning logs up never records who looks up whom.
        foreach (var category in (string[])["Microsoft.AspNetCore.Routing", "Microsoft.AspNetCore.Http",
            "Microsoft.AspNetCore.Server.Kestrel", "Microsoft.AspNetCore.HttpLogging"])
        {
            builder.Logging.AddFilter(category, LogLevel.Warning);
        }
        // Hosting diagnostics opens a scope holding each request's path whenever it is enabled at all;
        // with scopes printed (for the client address) that path would reach every line. Off.
        builder.Logging.AddFilter("Microsoft.AspNetCore.Hosting.Diagnostics", LogLevel.None);

        // Under systemd: Type=notify readiness and journald's format (priorities, no ANSI colours).
        builder.Host.UseSystemd();
        // An explicit --log-format (Logging:Console:FormatterName) wins, also under systemd; otherwise
        // systemd's choice, else "simple". A name must be set: without one the console logger ignores
        // Logging:Console:FormatterOptions (timestamps, single line, scopes) for its legacy settings.
        var format = builder.Configuration["Logging:Console:FormatterName"];
        builder.Services.PostConfigure<ConsoleLoggerOptions>(o =>
            o.FormatterName = format is { Length: > 0 } ? format : o.FormatterName ?? ConsoleFormatterNames.Simple);
    }
}
