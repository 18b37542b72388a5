using System.Text;

namespace InventoryOrleans.Deploy.Tests.Docker;

/// <summary>One instruction: its keyword (upper case), its arguments with continuation lines joined, its first line.</summary>
internal sealed record DockerInstruction(string Keyword, string Arguments, int Line);

/// <summary>A build stage: <c>FROM image [AS name]</c> and the instructions up to the next FROM.</summary>
internal sealed record DockerStage(string Image, string? Name, IReadOnlyList<DockerInstruction> Instructions)
{
    public IEnumerable<DockerInstruction> All(string keyword) => Instructions.Where(i => i.Keyword == keyword);

    public DockerInstruction? Last(string keyword) => All(keyword).LastOrDefault();

    /// <summary>The variables its ENV instructions set, in order (later ones win).</summary>
    public IReadOnlyDictionary<string, string> Environment
    {
        get
        {
            var variables = new Dictionary<string, string>(StringComparer.Ordinal);
            foreach (var env in All("ENV"))
            {
                var words = Dockerfile.Words(env.Arguments);
                if (words.Count > 0 && !words[0].Contains('=', StringComparison.Ordinal))
                {
                    // The legacy form: ENV KEY value with spaces.
                    variables[words[0]] = string.Join(' ', words.Skip(1));
                    continue;
                }

                foreach (var word in words)
                {
                    var equals = word.IndexOf('=', StringComparison.Ordinal);
                    variables[word[..equals]] = word[(equals + 1)..];
                }
            }

            return variables;
        }
    }
}

/// <summary>
/// A Dockerfile read the way Docker's parser reads it, as far as these tests need: comment and blank lines dropped, a
/// line ending in a backslash joined with the next, one instruction per resulting line, stages split at FROM.
/// </summary>
internal sealed class Dockerfile
{
    private Dockerfile(string path, string text, IReadOnlyList<DockerStage> stages)
    {
        Path = path;
        Text = text;
        Stages = stages;
    }

    public string Path { get; }

    /// <summary>The file as written, comments included.</summary>
    public string Text { get; }

    public IReadOnlyList<DockerStage> Stages { get; }

    /// <summary>The stage the image is made of: the last one.</summary>
    public DockerStage Final => Stages[^1];

    public static Dockerfile Load(string path)
    {
        var text = File.ReadAllText(path);
        var stages = new List<DockerStage>();
        (string Image, string? Name, List<DockerInstruction> Instructions)? stage = null;
        foreach (var instruction in Instructions(text))
        {
            if (instruction.Keyword == "FROM")
            {
                if (stage is { } done)
                {
                    stages.Add(new DockerStage(done.Image, done.Name, done.Instructions));
                }

                var words = Words(instruction.Arguments).Where(w => !w.StartsWith("--", StringComparison.Ordinal)).ToList();
                var name = words.Count == 3 && words[1].Equals("AS", StringComparison.OrdinalIgnoreCase) ? words[2] : null;
                stage = (words[0], name, []);
            }
            else if (stage is { } current)
            {
                current.Instructions.Add(instruction);
            }
            else if (instruction.Keyword != "ARG")
            {
                throw new FormatException($"{path}:{instruction.Line}: {instruction.Keyword} before the first FROM");
            }
        }

        if (stage is { } last)
        {
            stages.Add(new DockerStage(last.Image, last.Name, last.Instructions));
        }

        return new Dockerfile(path, text, stages);
    }

    /// <summary>Splits on unquoted white space and drops the quotes, as ENV and FROM arguments are read.</summary>
    public static IReadOnlyList<string> Words(string arguments)
    {
        ArgumentNullException.ThrowIfNull(arguments);
        var words = new List<string>();
        var word = new StringBuilder();
        var inWord = false;
        char? quote = null;
        foreach (var c in arguments)
        {
            if (quote is { } q)
            {
                if (c == q)
                {
                    quote = null;
                }
                else
                {
                    word.Append(c);
                }
            }
            else if (c is '"' or '\'')
            {
                quote = c;
                inWord = true;
            }
            else if (char.IsWhiteSpace(c))
            {
                if (inWord)
                {
                    words.Add(word.ToString());
                    word.Clear();
                    inWord = false;
                }
            }
            else
            {
                word.Append(c);
                inWord = true;
            }
        }

        if (inWord)
        {
            words.Add(word.ToString());
        }

        return words;
    }

    private static IEnumerable<DockerInstruction> Instructions(string text)
    {
        var lines = text.Split('\n');
        for (var i = 0; i < lines.Length; i++)
        {
            var first = i + 1;
            var line = lines[i].TrimEnd('\r');
            if (IsCommentOrBlank(line))
            {
                continue;
            }

            var logical = new StringBuilder();
            while (line.TrimEnd().EndsWith('\\') && i + 1 < lines.Length)
            {
                logical.Append(line.TrimEnd()[..^1]);
                do
                {
                    line = lines[++i].TrimEnd('\r');
                }
                while (IsCommentOrBlank(line) && i + 1 < lines.Length);
            }

            logical.Append(line);
            var content = logical.ToString().Trim();
            var space = content.IndexOfAny([' ', '\t']);
            yield return space < 0
                ? new DockerInstruction(content.ToUpperInvariant(), "", first)
                : new DockerInstruction(content[..space].ToUpperInvariant(), content[(space + 1)..].Trim(), first);
        }
    }

    private static bool IsCommentOrBlank(string line) => line.TrimStart().Length == 0 || line.TrimStart().StartsWith('#');
}
