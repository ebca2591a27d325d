namespace KvmTime.Ssh.Sntrup761;

/// <summary>
/// Sorts secret 32-bit keys with a bitonic network: which pairs are compared depends only on the
/// length, and each compare-exchange is done with masks, so the time says nothing about the keys.
/// </summary>
internal static class ConstantTimeSort
{
    public static void Sort(uint[] keys)
    {
        var size = 1;
        while (size < keys.Length)
        {
            size <<= 1;
        }

        // Padding with the largest key keeps it at the end: sntrup761's keys never reach it.
        var work = new uint[size];
        Array.Fill(work, uint.MaxValue);
        keys.CopyTo(work, 0);
        for (var block = 2; block <= size; block <<= 1)
        {
            for (var distance = block >> 1; distance > 0; distance >>= 1)
            {
                for (var i = 0; i < size; i++)
                {
                    var partner = i ^ distance;
                    if (partner > i)
                    {
                        if ((i & block) == 0)
                        {
                            CompareExchange(ref work[i], ref work[partner]);
                        }
                        else
                        {
                            CompareExchange(ref work[partner], ref work[i]);
                        }
                    }
                }
            }
        }

        Array.Copy(work, keys, keys.Length);
    }

    // low, high = min, max, without a branch on the values.
    private static void CompareExchange(ref uint low, ref uint high)
    {
        var swap = (uint)(((ulong)high - low) >> 32); // all ones when high < low
        var t = (low ^ high) & swap;
        low ^= t;
        high ^= t;
    }
}
