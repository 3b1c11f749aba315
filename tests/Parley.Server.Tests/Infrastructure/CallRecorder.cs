using System.Collections.Concurrent;
using System.Reflection;

namespace Parley.Server.Tests.Infrastructure;

/// <summary>
/// Wraps a store interface and records the name of every method called through it, in order, before
/// forwarding the call: what a test compares to show that two requests did the same work (issue 14,
/// "Timing": an unknown name must cost what an existing one costs, and the store calls are the
/// deterministic part of that).
/// </summary>
public static class CallRecorder
{
    /// <summary>A <typeparamref name="T"/> that records into <paramref name="log"/> and forwards to <paramref name="target"/>.</summary>
    public static T Wrap<T>(T target, ConcurrentQueue<string> log)
        where T : class
    {
        var proxy = DispatchProxy.Create<T, RecordingProxy<T>>();
        ((RecordingProxy<T>)(object)proxy).Attach(target, log);
        return proxy;
    }
}

/// <summary>The proxy behind <see cref="CallRecorder.Wrap{T}"/> (DispatchProxy needs a public, unsealed type).</summary>
public class RecordingProxy<T> : DispatchProxy
    where T : class
{
    private T? inner;
    private ConcurrentQueue<string>? calls;

    internal void Attach(T target, ConcurrentQueue<string> log)
    {
        inner = target;
        calls = log;
    }

    /// <inheritdoc />
    protected override object? Invoke(MethodInfo? targetMethod, object?[]? args)
    {
        ArgumentNullException.ThrowIfNull(targetMethod);
        calls!.Enqueue(targetMethod.Name);
        try
        {
            return targetMethod.Invoke(inner, args);
        }
        catch (TargetInvocationException e) when (e.InnerException is not null)
        {
            System.Runtime.ExceptionServices.ExceptionDispatchInfo.Throw(e.InnerException);
            throw;
        }
    }
}
