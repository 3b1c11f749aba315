using System.Threading.Channels;
using Parley.Cli.Output;

namespace Parley.Cli.Input;

/// <summary>
/// Reads chat lines. On a terminal, keys go through the <see cref="LineEditor"/> (what is shown is
/// what will be sent) and "typing" is reported when a message (not a /command) starts or is erased;
/// with redirected input it reads whole lines.
/// </summary>
internal sealed class ChatInput
{
    private readonly ChatScreen _screen;
    private readonly LineEditor _editor;
    private readonly Action<bool> _typingChanged;
    private readonly Channel<ConsoleKeyInfo> _keys = Channel.CreateUnbounded<ConsoleKeyInfo>(new UnboundedChannelOptions { SingleReader = true, SingleWriter = true });
    private bool _typing;
    private Thread? _reader;

    public ChatInput(ChatScreen screen, LineEditor editor, Action<bool> typingChanged)
    {
        _screen = screen;
        _editor = editor;
        _typingChanged = typingChanged;
    }

    public async Task<string?> ReadLineAsync(CancellationToken cancellationToken)
    {
        if (!_screen.Interactive)
        {
            return await Console.In.ReadLineAsync(cancellationToken).ConfigureAwait(false);
        }

        StartReader();
        _screen.Redraw();
        while (await _keys.Reader.WaitToReadAsync(cancellationToken).ConfigureAwait(false))
        {
            while (_keys.Reader.TryRead(out var key))
            {
                var outcome = _editor.Apply(key);
                SetTyping(_editor.IsComposingMessage);
                switch (outcome)
                {
                    case EditOutcome.Submitted:
                        SetTyping(false);
                        _screen.Redraw();
                        return _editor.Submitted;
                    case EditOutcome.EndOfInput:
                        return null;
                    case EditOutcome.Changed:
                        _screen.Redraw();
                        break;
                }
            }
        }

        return null;
    }

    /// <summary>Console offers no awaitable key read: one background thread blocks on keys and queues them.</summary>
    private void StartReader()
    {
        if (_reader is not null)
        {
            return;
        }

        _reader = new Thread(() =>
        {
            while (true)
            {
                _keys.Writer.TryWrite(Console.ReadKey(intercept: true));
            }
        })
        { IsBackground = true, Name = "chat keys" };
        _reader.Start();
    }

    private void SetTyping(bool now)
    {
        if (_typing != now)
        {
            _typing = now;
            _typingChanged(now);
        }
    }
}
