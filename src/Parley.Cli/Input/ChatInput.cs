namespace Parley.Cli.Input;

/// <summary>
/// Reads chat lines. On a terminal it reads key by key, so it can report "typing" when the first key
/// of a line is pressed and "stopped" when the line is sent or erased; with redirected input it
/// reads whole lines.
/// </summary>
internal sealed class ChatInput
{
    /// <summary>The longest line accepted; further keys are ignored.</summary>
    public const int MaxLineLength = 16 * 1024;

    private readonly Action<bool> _typingChanged;

    public ChatInput(Action<bool> typingChanged) => _typingChanged = typingChanged;

    public Task<string?> ReadLineAsync(CancellationToken cancellationToken) =>
        Console.IsInputRedirected
            ? Console.In.ReadLineAsync(cancellationToken).AsTask()
            : Task.Run(() => ReadKeys(cancellationToken), cancellationToken);

    private string? ReadKeys(CancellationToken cancellationToken)
    {
        var line = new System.Text.StringBuilder();
        var typing = false;
        while (!cancellationToken.IsCancellationRequested)
        {
            if (!Console.KeyAvailable)
            {
                Thread.Sleep(25); // Console offers no awaitable key read; polling keeps cancellation responsive.
                continue;
            }

            var key = Console.ReadKey(intercept: false);
            if (key.Key == ConsoleKey.Enter)
            {
                Console.WriteLine();
                SetTyping(ref typing, false);
                return line.ToString();
            }

            if (key.Key == ConsoleKey.Backspace)
            {
                if (line.Length > 0)
                {
                    line.Length--;
                    Console.Write(" \b");
                }

                SetTyping(ref typing, line.Length > 0);
                continue;
            }

            if (key.Modifiers.HasFlag(ConsoleModifiers.Control) && key.Key == ConsoleKey.D)
            {
                return null;
            }

            if (!char.IsControl(key.KeyChar) && line.Length < MaxLineLength)
            {
                line.Append(key.KeyChar);
                SetTyping(ref typing, true);
            }
        }

        return null;
    }

    private void SetTyping(ref bool typing, bool now)
    {
        if (typing != now)
        {
            typing = now;
            _typingChanged(now);
        }
    }
}
