using System.Security.Cryptography;
using System.Text;

namespace KvmTime.Fuzz;

/// <summary>
/// The inputs that once broke a parser, kept under tests/unit/Samples/fuzz as
/// "&lt;target&gt;.&lt;hash&gt;.txt" (UTF-8) or ".utf16" (UTF-16LE, for inputs with lone surrogates,
/// which UTF-8 cannot hold).
/// </summary>
public static class RegressionSamples
{
    private static readonly UTF8Encoding StrictUtf8 = new(encoderShouldEmitUTF8Identifier: false, throwOnInvalidBytes: true);

    public static string Save(string directory, FuzzFinding finding)
    {
        ArgumentNullException.ThrowIfNull(finding);
        Directory.CreateDirectory(directory);
        var bytes = IsWellFormed(finding.Input) ? StrictUtf8.GetBytes(finding.Input) : Encoding.Unicode.GetBytes(finding.Input);
        var extension = IsWellFormed(finding.Input) ? ".txt" : ".utf16";
        var hash = Convert.ToHexStringLower(SHA256.HashData(bytes))[..12];
        var path = Path.Combine(directory, $"{finding.Target}.{hash}{extension}");
        File.WriteAllBytes(path, bytes);
        return path;
    }

    /// <summary>The target name and the exact input of a saved sample.</summary>
    public static (string Target, string Input) Load(string path)
    {
        var name = Path.GetFileName(path);
        var target = name[..name.IndexOf('.', StringComparison.Ordinal)];
        var bytes = File.ReadAllBytes(path);
        return (target, path.EndsWith(".utf16", StringComparison.Ordinal) ? Encoding.Unicode.GetString(bytes) : StrictUtf8.GetString(bytes));
    }

    private static bool IsWellFormed(string text)
    {
        for (var i = 0; i < text.Length; i++)
        {
            if (char.IsHighSurrogate(text[i]) && i + 1 < text.Length && char.IsLowSurrogate(text[i + 1]))
            {
                i++;
            }
            else if (char.IsSurrogate(text[i]))
            {
                return false;
            }
        }

        return true;
    }
}
