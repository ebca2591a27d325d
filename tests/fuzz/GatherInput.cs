using KvmTime.Targets;

namespace KvmTime.Fuzz;

/// <summary>
/// Turns one fuzz input into the gathered inputs of a cmdlet: the parts between record separators
/// (U+001E) go to the request's keys in order; a part starting with U+0015 has a failing exit code,
/// and keys beyond the last part are missing, as when the snippet was cut off.
/// </summary>
internal static class GatherInput
{
    public const char Separator = '\u001e';
    public const char Failed = '\u0015';

    public static GatherResult For(GatherRequest request, string input)
    {
        ArgumentNullException.ThrowIfNull(request);
        ArgumentNullException.ThrowIfNull(input);
        var parts = input.Split(Separator);
        return new GatherResult(request.Items.Zip(parts, (item, text) => text.StartsWith(Failed)
            ? new GatherValue(item.Key, text[1..], 1)
            : new GatherValue(item.Key, text, 0)));
    }

    /// <summary>A seed for a gather target: sample texts in key order.</summary>
    public static string Join(IEnumerable<string> parts) => string.Join(Separator, parts);
}
