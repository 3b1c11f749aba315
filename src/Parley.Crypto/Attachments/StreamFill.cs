namespace Parley.Crypto.Attachments;

/// <summary>
/// The read-until-full loop both attachment streams need: a chunk is only complete when its buffer
/// is full, and a short read means the source has ended. Written once over the array overloads
/// (not <see cref="Stream.ReadAtLeast(Span{byte}, int, bool)"/>), because a source that overrides only
/// those would otherwise copy secret bytes through an <see cref="System.Buffers.ArrayPool{T}"/> buffer
/// that is never wiped.
/// </summary>
internal static class StreamFill
{
    /// <summary>
    /// Reads from <paramref name="source"/> until <paramref name="destination"/> is full or the source
    /// ends, and returns the bytes read. With <paramref name="useAsync"/> false it reads synchronously
    /// and the returned task has already completed.
    /// </summary>
    internal static async ValueTask<int> FillAsync(Stream source, byte[] destination, bool useAsync, CancellationToken cancellationToken)
    {
        int filled = 0;
        while (filled < destination.Length)
        {
            int read = useAsync
                ? await source.ReadAsync(destination.AsMemory(filled), cancellationToken).ConfigureAwait(false)
                : source.Read(destination, filled, destination.Length - filled);
            if (read == 0)
            {
                break;
            }

            filled += read;
        }

        return filled;
    }
}
