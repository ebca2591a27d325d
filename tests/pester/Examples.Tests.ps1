# Every example in docs/ runs here when this machine can run it (no remote machines, guests or
# files it does not have), with -WhatIf added to anything that would change the machine, so
# that no example rots. The others are reported as skipped with the reason.
BeforeDiscovery {
    $docs = Join-Path $PSScriptRoot '../../docs'
    $script:Examples = foreach ($page in Get-ChildItem $docs -Filter '*-*.md') {
        $text = Get-Content -Raw $page.FullName
        foreach ($m in [regex]::Matches($text, '(?ms)^### (Example \d+[^\n]*)\n```powershell\n(.*?)\n```')) {
            # Statements start at 'PS> '; '>>' lines and lines after an open '|', '{' or ',' continue them; the rest is output.
            $statements = [System.Collections.Generic.List[string]]::new()
            foreach ($line in $m.Groups[2].Value -split "`n") {
                if ($line -match '^PS> (.*)$') { $statements.Add($Matches[1]) }
                elseif ($line -match '^>>(.*)$' -and $statements.Count) { $statements[-1] += "`n" + $Matches[1] }
                elseif ($statements.Count -and $statements[-1] -match '[|{,]\s*$' -and $line.Trim()) { $statements[-1] += "`n" + $line }
            }
            $code = $statements -join "`n"
            $remote = [regex]::Match($code, '-ComputerName|-Session|New-PSSession|New-KvmTimeSession|Get-KvmTimeSession|Remove-KvmTimeSession|-Domain\b|-AgentSocket|\bguests\.txt|\$guests|/srv/|\./\w|Get-Credential|-All\b')
            @{
                Name   = "$($page.BaseName): $($m.Groups[1].Value)"
                Code   = [regex]::Replace($code, '\b((?:Set|Sync)-[A-Za-z]+)((?:[^|\n]|\n(?!\S))*)', { param($c) if ($c.Value -match '-WhatIf') { $c.Value } else { $c.Groups[1].Value + $c.Groups[2].Value.TrimEnd() + ' -WhatIf' } })
                Reason = if ($remote.Success) { "needs what this machine lacks ($($remote.Value.Trim()))" } else { $null }
            }
        }
    }
}

BeforeAll {
    Import-Module (Join-Path $env:KVMTIME_MODULE 'KvmTime.psd1') -Force
    $script:SysfsCurrent = (Get-Content /sys/devices/system/clocksource/clocksource0/current_clocksource).Trim()
}

Describe 'docs/ examples' -Tag 'Local' {
    It 'found the examples of every docs page' {
        $Examples.Count | Should -BeGreaterThan 30
        @($Examples | Where-Object { -not $_.Reason }).Count | Should -BeGreaterOrEqual 8
    }

    It '<Name>' -ForEach $Examples {
        if ($Reason) { Set-ItResult -Skipped -Because $Reason; return }
        $block = [scriptblock]::Create($Code)
        $null = & $block -ErrorAction Stop -WarningAction SilentlyContinue 6>&1 5>&1 4>&1 3>&1
        (Get-Content /sys/devices/system/clocksource/clocksource0/current_clocksource).Trim() | Should -Be $SysfsCurrent -Because 'examples run with -WhatIf change nothing'
    }
}
