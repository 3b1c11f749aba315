using System.Net;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.DependencyInjection;

namespace Parley.Server.Tests.Infrastructure;

/// <summary>
/// Lets a test speak from many client addresses through the in-process server: a request carrying
/// <see cref="Header"/> is seen by the server as coming from that address. Test-only (registered
/// through <c>ConfigureTestServices</c>); the real server takes the address from the socket.
/// </summary>
public sealed class TestClientAddress : IStartupFilter
{
    /// <summary>The request header naming the simulated client address.</summary>
    public const string Header = "X-Test-Client-Address";

    /// <summary>Registers the filter.</summary>
    public static void Register(IServiceCollection services) => services.AddSingleton<IStartupFilter, TestClientAddress>();

    /// <summary>An HTTP client whose every request comes from <paramref name="address"/>.</summary>
    public static HttpClient From(ParleyServerFactory factory, string address)
    {
        ArgumentNullException.ThrowIfNull(factory);
        var client = factory.CreateClient();
        client.DefaultRequestHeaders.Add(Header, address);
        return client;
    }

    /// <inheritdoc />
    public Action<IApplicationBuilder> Configure(Action<IApplicationBuilder> next) => app =>
    {
        app.Use((context, following) =>
        {
            if (context.Request.Headers.TryGetValue(Header, out var value) && IPAddress.TryParse(value.ToString(), out var address))
            {
                context.Connection.RemoteIpAddress = address;
            }
            return following(context);
        });
        next(app);
    };
}
