using System.Globalization;
using System.Text.RegularExpressions;
using KvmTime.Resources;
using KvmTime.Targets;

namespace KvmTime.Host;

/// <summary>
/// Validates what the user passes on to virsh before it is quoted into a shell command. A domain
/// name cannot start with '-' (virsh would read an option) and holds no quotes, slashes or spaces.
/// </summary>
internal static partial class LibvirtNames
{
    public const string DefaultUri = "qemu:///system";

    public static string Domain(string name)
    {
        ArgumentNullException.ThrowIfNull(name);
        return DomainPattern().IsMatch(name) ? name : throw new KvmTimeException(ErrorIds.InvalidDomainName, FailureKind.InvalidArgument,
            string.Format(CultureInfo.InvariantCulture, Messages.InvalidDomainName, name));
    }

    public static string Uri(string uri)
    {
        ArgumentNullException.ThrowIfNull(uri);
        return UriPattern().IsMatch(uri) ? uri : throw new KvmTimeException(ErrorIds.InvalidLibvirtUri, FailureKind.InvalidArgument,
            string.Format(CultureInfo.InvariantCulture, Messages.InvalidLibvirtUri, uri));
    }

    [GeneratedRegex(@"^[A-Za-z0-9_][A-Za-z0-9_.+:@-]{0,199}$")]
    private static partial Regex DomainPattern();

    [GeneratedRegex(@"^[a-z][a-z0-9+]*://[A-Za-z0-9._~:/?&=%@\[\]-]*$")]
    private static partial Regex UriPattern();
}
