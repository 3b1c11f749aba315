using System.Globalization;
using System.Text.Json;
using Microsoft.AspNetCore.Diagnostics;
using Microsoft.AspNetCore.Mvc;
using Parley.Server.Throttling;

namespace Parley.Server.Hosting;

/// <summary>
/// Turns every exception that reaches the pipeline into a problem response: domain problems with
/// their status, malformed or oversized requests (<see cref="BadHttpRequestException"/>,
/// <see cref="JsonException"/>) as 4xx, an unreachable shared throttle state as 503 (fail closed, an
/// operations condition logged as a warning), anything else as a generic 500 logged as a bug.
/// </summary>
internal sealed partial class ProblemExceptionHandler(
    IProblemDetailsService problems, ILogger<ProblemExceptionHandler> logger) : IExceptionHandler
{
    /// <summary>Prefix of every problem type URI.</summary>
    public const string TypePrefix = "urn:parley:problem:";

    public async ValueTask<bool> TryHandleAsync(HttpContext httpContext, Exception exception, CancellationToken cancellationToken)
    {
        var (status, type, title, retryAfter) = exception switch
        {
            ProblemException p => (p.Status, p.Type, p.Message, p.RetryAfter),
            BadHttpRequestException b when b.StatusCode == StatusCodes.Status413PayloadTooLarge =>
                (b.StatusCode, "too-large", "Request body too large", (TimeSpan?)null),
            BadHttpRequestException b => (b.StatusCode, "bad-request", "Malformed request", null),
            JsonException => (StatusCodes.Status400BadRequest, "bad-request", "Malformed JSON", null),
            ThrottleStoreUnavailableException => (StatusCodes.Status503ServiceUnavailable, "unavailable", "Service temporarily unavailable",
                ThrottleStoreUnavailableException.RetryAfter),
            _ => (StatusCodes.Status500InternalServerError, "internal", "Internal error", null),
        };
        if (exception is ThrottleStoreUnavailableException)
        {
            LogThrottleUnavailable(logger, exception.InnerException?.GetType().Name ?? "no connection");
        }
        else if (status >= 500)
        {
            LogUnhandled(logger, exception.GetType().Name, exception);
        }
        if (httpContext.Response.HasStarted)
        {
            return false;
        }
        httpContext.Response.StatusCode = status;
        if (retryAfter is { } wait)
        {
            httpContext.Response.Headers.RetryAfter =
                Math.Max(1, (long)Math.Ceiling(wait.TotalSeconds)).ToString(CultureInfo.InvariantCulture);
        }
        return await problems.TryWriteAsync(new ProblemDetailsContext
        {
            HttpContext = httpContext,
            ProblemDetails = new ProblemDetails { Status = status, Type = TypePrefix + type, Title = title },
        }).ConfigureAwait(false);
    }

    [LoggerMessage(EventId = 1, Level = LogLevel.Error, Message = "Unhandled {ExceptionType} while serving a request")]
    private static partial void LogUnhandled(ILogger logger, string exceptionType, Exception exception);

    [LoggerMessage(EventId = 2, Level = LogLevel.Warning, Message = "Request refused with 503: the shared throttle state is unavailable ({Cause})")]
    private static partial void LogThrottleUnavailable(ILogger logger, string cause);
}
