using System.Text;
using Parley.Cli.Input;

namespace Parley.Cli.Output;

/// <summary>
/// The chat's terminal: the line being typed stays on the bottom row, everything else (messages,
/// receipts, warnings) is printed above it, and transient state (who is typing) lives in the prompt
/// instead of the scrollback. Without a terminal it just prints lines.
/// </summary>
internal sealed class ChatScreen
{
    private const string ClearLine = "\r\u001b[2K";

    private readonly Lock _gate = new();
    private readonly TextWriter _terminal;
    private readonly LineEditor _editor;
    private readonly Func<int> _width;
    private string _status = string.Empty;

    public ChatScreen(TextWriter terminal, LineEditor editor, bool interactive, Func<int> width)
    {
        _terminal = terminal;
        _editor = editor;
        Interactive = interactive;
        _width = width;
        Writer = new AboveWriter(this);
    }

    /// <summary>Whether the input line is drawn (a terminal) or input arrives as whole lines.</summary>
    public bool Interactive { get; }

    /// <summary>A writer whose complete lines appear above the input line.</summary>
    public TextWriter Writer { get; }

    /// <summary>The prompt, with the transient status in it.</summary>
    public string Prompt => _status.Length == 0 ? "› " : $"({_status}) › ";

    /// <summary>Prints <paramref name="lines"/> (ending with a newline) above the input line.</summary>
    public void WriteAbove(string lines)
    {
        lock (_gate)
        {
            if (Interactive)
            {
                _terminal.Write(ClearLine);
                _terminal.Write(lines.Replace("\n", "\r\n", StringComparison.Ordinal));
                DrawInput();
            }
            else
            {
                _terminal.Write(lines);
                _terminal.Flush();
            }
        }
    }

    /// <summary>Sets the transient status shown in the prompt (empty: none).</summary>
    public void SetStatus(string status)
    {
        lock (_gate)
        {
            _status = status;
            if (Interactive)
            {
                DrawInput();
            }
        }
    }

    /// <summary>Redraws the input line after the editor changed.</summary>
    public void Redraw()
    {
        lock (_gate)
        {
            if (Interactive)
            {
                DrawInput();
            }
        }
    }

    private void DrawInput()
    {
        var rendered = _editor.Render(Prompt, _width());
        var text = new StringBuilder(ClearLine).Append(rendered.Text).Append('\r');
        if (rendered.CursorColumn > 0)
        {
            text.Append("\u001b[").Append(rendered.CursorColumn).Append('C');
        }

        _terminal.Write(text.ToString());
        _terminal.Flush();
    }

    /// <summary>Collects writes into lines and hands each complete one to <see cref="WriteAbove"/>.</summary>
    private sealed class AboveWriter(ChatScreen screen) : TextWriter
    {
        private readonly StringBuilder _pending = new();

        public override Encoding Encoding => Encoding.UTF8;

        public override void Write(char value)
        {
            lock (_pending)
            {
                _pending.Append(value);
                if (value == '\n')
                {
                    screen.WriteAbove(_pending.ToString());
                    _pending.Clear();
                }
            }
        }

        public override void Write(string? value)
        {
            if (value is null)
            {
                return;
            }

            lock (_pending)
            {
                _pending.Append(value);
                var last = _pending.ToString().LastIndexOf('\n');
                if (last >= 0)
                {
                    screen.WriteAbove(_pending.ToString(0, last + 1));
                    _pending.Remove(0, last + 1);
                }
            }
        }
    }
}
