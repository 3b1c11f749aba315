using System.Globalization;
using System.Text;
using Parley.Client.Transfers;

namespace Parley.Client.Tests.Transfers;

/// <summary>Sender-supplied names become one safe path component, whatever they hold.</summary>
public sealed class FileNameSanitizerTests
{
    [Theory]
    [InlineData("report.pdf", "report.pdf")]
    [InlineData("../../x", "x")]
    [InlineData("..\\..\\x", "x")]
    [InlineData("/etc/passwd", "passwd")]
    [InlineData("C:\\Windows\\x.dll", "x.dll")]
    [InlineData("C:x", "C_x")]
    [InlineData("a:b", "a_b")]
    [InlineData("file.txt::$DATA", "file.txt__$DATA")]
    [InlineData("x\u202Egpj.exe", "xgpj.exe")]
    [InlineData("in\u200Bvisible\u2066.txt", "invisible.txt")]
    [InlineData("CON", "_CON")]
    [InlineData("con.txt", "_con.txt")]
    [InlineData("COM1.tar.gz", "_COM1.tar.gz")]
    [InlineData("LPT9", "_LPT9")]
    [InlineData("CONSOLE", "CONSOLE")]
    [InlineData("nul\0.txt", "_nul.txt")]
    [InlineData("trailing. . ", "trailing")]
    [InlineData(".hidden", "hidden")]
    [InlineData("..", "file")]
    [InlineData("", "file")]
    [InlineData(null, "file")]
    [InlineData("a<b>c|d?e*f\"g", "a_b_c_d_e_f_g")]
    [InlineData("photo 😀.jpg", "photo 😀.jpg")]
    public void Names_are_sanitized(string? input, string expected) => Assert.Equal(expected, FileNameSanitizer.Sanitize(input));

    [Fact]
    public void Lone_surrogates_are_dropped() => Assert.Equal("broken.txt", FileNameSanitizer.Sanitize("\uD800broken\uDC00.txt"));

    [Fact]
    public void Long_names_are_capped_in_utf8_bytes_keeping_the_extension_and_whole_characters()
    {
        string ascii = FileNameSanitizer.Sanitize(new string('a', 4096) + ".txt");
        Assert.Equal(FileNameSanitizer.MaxNameBytes, Encoding.UTF8.GetByteCount(ascii));
        Assert.EndsWith(".txt", ascii, StringComparison.Ordinal);

        string wide = FileNameSanitizer.Sanitize(string.Concat(Enumerable.Repeat("é😀", 500)) + ".pdf");
        Assert.True(Encoding.UTF8.GetByteCount(wide) <= FileNameSanitizer.MaxNameBytes);
        Assert.EndsWith(".pdf", wide, StringComparison.Ordinal);
        Assert.Equal(wide, new string(wide.EnumerateRunes().SelectMany(r => r.ToString()).ToArray()));
    }

    [Fact]
    public void A_name_exactly_at_the_cap_is_kept_and_one_byte_more_is_shortened()
    {
        string at = new('b', FileNameSanitizer.MaxNameBytes);
        Assert.Equal(at, FileNameSanitizer.Sanitize(at));
        Assert.Equal(FileNameSanitizer.MaxNameBytes, FileNameSanitizer.Sanitize(at + "b").Length);
    }

    [Theory]
    [InlineData("report.pdf", 1, "report (1).pdf")]
    [InlineData("report.pdf", 12, "report (12).pdf")]
    [InlineData("archive", 2, "archive (2)")]
    public void Suffixes_go_before_the_extension(string name, int attempt, string expected) =>
        Assert.Equal(expected, FileNameSanitizer.WithSuffix(name, attempt));

    [Fact]
    public void Random_hostile_names_always_give_one_safe_component()
    {
        const string alphabet = "ab./\\:.. \0\u202E\u200F\u2028\t\n*?<>|\"CONPRNLPT1😀é~$";
        var random = new Random(20261125);
        string directory = Path.GetFullPath("/tmp/target");
        for (int i = 0; i < 20_000; i++)
        {
            var builder = new StringBuilder();
            int length = random.Next(0, 40);
            for (int j = 0; j < length; j++)
            {
                builder.Append(alphabet[random.Next(alphabet.Length)]);
            }

            string name = FileNameSanitizer.Sanitize(builder.ToString());
            Assert.False(string.IsNullOrEmpty(name));
            Assert.True(name.IndexOfAny(['/', '\\', ':', '\0']) < 0, name);
            Assert.NotEqual(".", name);
            Assert.NotEqual("..", name);
            Assert.False(name.StartsWith('.'));
            Assert.DoesNotContain(name, c => char.GetUnicodeCategory(c) is UnicodeCategory.Control or UnicodeCategory.Format);
            Assert.Equal(directory, Path.GetDirectoryName(Path.Combine(directory, name)));
            Assert.True(Encoding.UTF8.GetByteCount(name) <= FileNameSanitizer.MaxNameBytes);
        }
    }
}
