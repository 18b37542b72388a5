using System.Text;
using System.Text.RegularExpressions;

namespace InventoryOrleans.Deploy.Tests.Docker;

/// <summary>
/// A <c>.dockerignore</c> applied as Docker applies it: each pattern relative to the context root, <c>*</c> and
/// <c>?</c> within one path segment, <c>**</c> across any number of them, <c>!</c> re-includes, the last matching
/// pattern decides, and a path inside an excluded folder is excluded.
/// </summary>
internal sealed class DockerIgnore
{
    private readonly IReadOnlyList<(Regex Pattern, bool Exclude, string Text)> _patterns;

    private DockerIgnore(IReadOnlyList<(Regex, bool, string)> patterns) => _patterns = patterns;

    public IEnumerable<string> Patterns => _patterns.Select(p => p.Text);

    public static DockerIgnore Load(string path)
    {
        var patterns = new List<(Regex, bool, string)>();
        foreach (var raw in File.ReadAllLines(path))
        {
            var line = raw.Trim();
            if (line.Length == 0 || line.StartsWith('#'))
            {
                continue;
            }

            var exclude = !line.StartsWith('!');
            var pattern = line.TrimStart('!').Trim().Trim('/');
            patterns.Add((ToRegex(pattern), exclude, line));
        }

        return new DockerIgnore(patterns);
    }

    /// <summary>Whether <paramref name="relativePath"/> (forward slashes, from the context root) stays out of the context.</summary>
    public bool Excludes(string relativePath)
    {
        ArgumentNullException.ThrowIfNull(relativePath);
        var segments = relativePath.Trim('/').Split('/');
        for (var length = 1; length <= segments.Length; length++)
        {
            var prefix = string.Join('/', segments[..length]);
            var excluded = false;
            foreach (var (pattern, exclude, _) in _patterns)
            {
                if (pattern.IsMatch(prefix))
                {
                    excluded = exclude;
                }
            }

            if (excluded)
            {
                return true;
            }
        }

        return false;
    }

    private static Regex ToRegex(string pattern)
    {
        var regex = new StringBuilder("^");
        for (var i = 0; i < pattern.Length; i++)
        {
            var c = pattern[i];
            if (c == '*' && i + 1 < pattern.Length && pattern[i + 1] == '*')
            {
                i++;
                if (i + 1 < pattern.Length && pattern[i + 1] == '/')
                {
                    // "**/" is zero or more whole folders.
                    i++;
                    regex.Append("(.*/)?");
                }
                else
                {
                    regex.Append(".*");
                }
            }
            else if (c == '*')
            {
                regex.Append("[^/]*");
            }
            else if (c == '?')
            {
                regex.Append("[^/]");
            }
            else
            {
                regex.Append(Regex.Escape(c.ToString()));
            }
        }

        return new Regex(regex.Append('$').ToString(), RegexOptions.CultureInvariant);
    }
}
