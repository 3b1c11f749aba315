using Microsoft.Extensions.DependencyInjection.Extensions;

namespace Parley.Server.Throttling;

/// <summary>Registration of the throttle state.</summary>
public static class ThrottlingExtensions
{
    /// <summary>
    /// Adds the in-memory <see cref="IThrottleStore"/> unless one is registered already (a cluster
    /// registers its shared store before this runs, or replaces it afterwards).
    /// </summary>
    public static IServiceCollection AddThrottling(this IServiceCollection services)
    {
        services.TryAddSingleton<IThrottleStore, MemoryThrottleStore>();
        return services;
    }
}
