# Every cmdlet on every kind of target, run the way a user would (issue 22). Rows: Matrix.psd1, one
# per cmdlet; columns and cell rules: Matrix.psm1. At the end the coverage table (cmdlet x target:
# pass, FAIL, n/a with its reason) is printed and written to out/test-results/matrix.md.
# New SSH connections stay few: one sshd, one KvmTime session, two PSSessions, and one new
# connection per cell of the Ssh and LabGuest columns, one after the other.
BeforeDiscovery {
    Import-Module (Join-Path $PSScriptRoot 'Matrix.psm1') -Force
    $cells = @(Get-MatrixCell | Where-Object Outcome -NE 'NotApplicable')
    # -ForEach turns keys into variables: the cell travels whole, so none of its keys shadows $args.
    $LocalCells = @($cells | Where-Object Group -EQ 'Local' | ForEach-Object { @{ Name = $_.Name; Cell = $_ } })
    $SshCells = @($cells | Where-Object Group -EQ 'Ssh' | ForEach-Object { @{ Name = $_.Name; Cell = $_ } })
    $LabCells = @($cells | Where-Object Group -EQ 'Lab' | ForEach-Object { @{ Name = $_.Name; Cell = $_ } })
}

BeforeAll {
    Import-Module (Join-Path $PSScriptRoot 'TestHelpers.psm1') -Force
    Import-Module (Join-Path $PSScriptRoot 'Matrix.psm1') -Force
    Import-Module (Join-Path $env:KVMTIME_MODULE 'KvmTime.psd1') -Force
    $script:Work = Join-Path ([System.IO.Path]::GetTempPath()) "kvmtime-matrix-$([guid]::NewGuid().ToString('N').Substring(0, 8))"
    $null = New-Item -ItemType Directory $Work
    $script:LabFixture = try { Get-LabFixture } catch { $null }
    $script:Contexts = @{}
    $script:Coverage = [ordered]@{}
    foreach ($cell in Get-MatrixCell) {
        $Coverage["$($cell.Label)|$($cell.Column)"] = if ($cell.Outcome -eq 'NotApplicable') { @{ Status = 'n/a'; Detail = $cell.NotApplicable } }
        else { @{ Status = 'not run'; Detail = 'left out of this run (tag filter)' } }
    }

    # The column's target, made once: its connection parameters ($T) and what cells need to know about it.
    function Get-Context([string] $Column) {
        if ($Contexts.ContainsKey($Column)) { return $Contexts[$Column] }
        $ctx = @{ Column = $Column; T = @{}; ComputerName = [Environment]::MachineName; ThisMachine = $true; BackupPath = Join-Path $Work 'backups'; Domain = 'kvmtime-matrix-no-lab'; LibvirtUri = 'qemu:///system' }
        if ($LabFixture) { $ctx.Domain = $LabFixture.Guests[0].Domain; $ctx.LibvirtUri = $LabFixture.Guests[0].LibvirtUri }
        if ($Column -in 'Ssh', 'KvmTimeSession', 'PSSession', 'Windows') {
            if (-not $script:Sshd) { $script:Sshd = Start-TestSshd }
            $ssh = @{ ComputerName = "127.0.0.1:$($Sshd.Port)"; UserName = 'root'; KeyFilePath = $Sshd.KeyFilePath; KnownHostsPath = $Sshd.KnownHostsPath }
        }
        switch ($Column) {
            'Ssh' { $ctx.T = $ssh; $ctx.ComputerName = $ssh.ComputerName }
            'KvmTimeSession' { $ctx.SshParameters = $ssh; $ctx.T = @{ Session = New-KvmTimeSession @ssh }; $ctx.ComputerName = $ssh.ComputerName }
            'PSSession' { $ctx.T = @{ Session = New-TestPSSession $Sshd }; $ctx.ComputerName = '127.0.0.1' }
            'Windows' {
                $session = New-TestPSSession $Sshd
                Invoke-Command -Session $session -FilePath (Join-Path $PSScriptRoot 'WindowsFake.ps1') -ArgumentList (Join-Path $PSScriptRoot '../unit/Samples/windows')
                $ctx.T = @{ Session = $session }; $ctx.ComputerName = '127.0.0.1'; $ctx.ThisMachine = $false; $ctx.Windows = $true
            }
            'LabGuest' {
                $ctx.Guest = (Get-LabFixture).Guests[0]
                $ctx.T = Get-LabSsh $ctx.Guest; $ctx.ComputerName = $ctx.T.ComputerName; $ctx.ThisMachine = $false
            }
        }
        if (-not $ctx.Windows) {
            $ctx.Clocksource = Get-TargetClocksource $ctx
            $available = (Invoke-TargetShell $ctx 'cat /sys/devices/system/clocksource/clocksource0/available_clocksource') -split '\s+'
            $ctx.OtherClocksource = 'tsc', 'kvm-clock', 'hpet', 'acpi_pm' | Where-Object { $_ -in $available -and $_ -ne $ctx.Clocksource } | Select-Object -First 1
        }
        $Contexts[$Column] = $ctx
        $ctx
    }

    # Runs a piece of the data file with $Ctx, $T and $Result in reach.
    function Invoke-CellCode([string] $Code, [hashtable] $Ctx, [hashtable] $T = $Ctx.T, [object[]] $Result = @()) {
        $SshParameters = $Ctx.SshParameters
        & ([scriptblock]::Create($Code))
    }

    function Read-State([hashtable] $Cell, [hashtable] $Ctx) { Invoke-CellCode $Cell.State $Ctx }

    function Test-SameState($Actual, $Expected, [hashtable] $Cell) {
        if ($null -ne $Cell.Tolerance) { [math]::Abs([double]$Actual - [double]$Expected) -le $Cell.Tolerance } else { "$Actual" -eq "$Expected" }
    }

    function Assert-Result([object[]] $Result, [hashtable] $Cell, [hashtable] $Ctx, [bool] $Applied) {
        $Result | Should -HaveCount 1 -Because "$($Cell.Cmdlet) writes one result per target"
        $Result[0].GetType().FullName | Should -Be $Cell.Type
        if ($Result[0].PSObject.Properties['ComputerName']) { $Result[0].ComputerName | Should -Be $Ctx.ComputerName }
        if ($Result[0].PSObject.Properties['Applied']) { $Result[0].Applied | Should -Be $Applied }
        elseif ($Result[0].PSObject.Properties['Changed']) { $Result[0].Changed | Should -Be $Applied }
    }

    function Invoke-ReadCell([hashtable] $Cell, [hashtable] $Ctx, [string] $Command) {
        $result = @(Invoke-CellCode "$Command -ErrorAction Stop -WarningAction SilentlyContinue" $Ctx)
        try {
            $result.Count | Should -BeGreaterThan 0 -Because 'a read gives a real result'
            $result | ForEach-Object { $_.GetType().FullName | Should -Be $Cell.Type }
            if ($result[0].PSObject.Properties['ComputerName']) { $result[0].ComputerName | Should -Be $Ctx.ComputerName }
            if ($Cell.Expect) { Invoke-CellCode $Cell.Expect $Ctx -Result $result | Should -BeTrue -Because $Cell.Expect }
            $detail = "$($result.Count) $($Cell.Type.Split('.')[-1]) from $($Ctx.ComputerName)"
            if ($Cell.Truth -and -not $Ctx.Windows) {
                $expected = Invoke-CellCode $Cell.Truth $Ctx
                $result[0].($Cell.Agree) | Should -Be $expected -Because "$($Cell.Agree) as read independently on the target ($($Cell.Truth))"
                $detail += ", $($Cell.Agree) = $expected as read with sh there"
            }
            elseif ($Cell.Agree -and $Ctx.ThisMachine -and $Cell.Column -notin 'Local', 'LabHost') {
                $local = @(Invoke-CellCode "$($Cell.Cmdlet) @T $($Cell.Args) -ErrorAction Stop -WarningAction SilentlyContinue" $Ctx -T @{})
                $result[0].($Cell.Agree) | Should -Be $local[0].($Cell.Agree) -Because "$($Cell.Agree) of this machine read in-process"
                $detail += ", $($Cell.Agree) = $($local[0].($Cell.Agree)) as in-process"
            }
            $detail
        }
        finally { if ($Cell.Cleanup) { Invoke-CellCode $Cell.Cleanup $Ctx -Result $result } }
    }

    function Invoke-ChangeCell([hashtable] $Cell, [hashtable] $Ctx, [string] $Command) {
        $writes = $Cell.Type -notlike 'none*'
        $passThru = if ($Cell.PassThru) { '-PassThru' } else { '' }
        $original = Read-State $Cell $Ctx
        if ($Cell.Arrange) { $null = Invoke-CellCode $Cell.Arrange $Ctx }
        $restored = $null
        try {
            $before = Read-State $Cell $Ctx
            $notApplied = @(Invoke-CellCode "$Command -WhatIf $passThru -ErrorAction Stop -WarningAction SilentlyContinue" $Ctx)
            Test-SameState (Read-State $Cell $Ctx) $before $Cell | Should -BeTrue -Because "-WhatIf changes nothing (state was '$before')"
            if ($writes) { Assert-Result $notApplied $Cell $Ctx $false } else { $notApplied | Should -HaveCount 0 }
            if ($Cell.WhatIfOnly) { return "-WhatIf changed nothing and wrote the not-applied result; no real change: $($Cell.WhatIfOnly)" }

            $applied = @(Invoke-CellCode "$Command -Confirm:`$false $passThru -ErrorAction Stop -WarningAction SilentlyContinue" $Ctx)
            if ($writes) { Assert-Result $applied $Cell $Ctx $true } else { $applied | Should -HaveCount 0 }
            $after = Read-State $Cell $Ctx
            Test-SameState $after $before $Cell | Should -BeFalse -Because "the real change changes the state (still '$after')"
        }
        finally {
            if ($Cell.Undo) { $null = Invoke-CellCode $Cell.Undo $Ctx; $restored = Read-State $Cell $Ctx }
        }
        if ($Cell.Undo) { Test-SameState $restored $original $Cell | Should -BeTrue -Because "the undo restores '$original' (now '$restored')" }
        "-WhatIf changed nothing; the real change did$(if ($writes) { " and wrote $($Cell.Type.Split('.')[-1])" })$(if ($Cell.Undo) { '; undone' })"
    }

    function Invoke-ErrorCell([hashtable] $Cell, [hashtable] $Ctx, [string] $Command) {
        $whatIf = if ($Cell.Kind -eq 'Change') { '-WhatIf' } else { '' }
        $caught = $null
        try { $null = Invoke-CellCode "$Command $whatIf -ErrorAction Stop -WarningAction SilentlyContinue" $Ctx } catch { $caught = $_ }
        $caught | Should -Not -BeNullOrEmpty -Because "this combination cannot work and must say so with $($Cell.ErrorId)"
        $caught.FullyQualifiedErrorId | Should -BeLike "$($Cell.ErrorId),*"
        "fails with $($caught.FullyQualifiedErrorId): $($caught.Exception.Message)"
    }

    # Runs one cell and records its outcome in the coverage table, pass or fail.
    function Invoke-MatrixCell([hashtable] $Cell) {
        $key = "$($Cell.Label)|$($Cell.Column)"
        try {
            # In CI the lab must be there: without it this fails saying how to start it.
            if ($Cell.Group -eq 'Lab' -and -not $LabFixture) { $null = Get-LabFixture }
            $ctx = Get-Context $Cell.Column
            $command = if ($Cell.Target -eq $false) { "$($Cell.Cmdlet) $($Cell.Args)" } else { "$($Cell.Cmdlet) @T $($Cell.Args)" }
            $detail = switch ($Cell.Outcome) {
                'Error' { Invoke-ErrorCell $Cell $ctx $command }
                default { if ($Cell.Kind -eq 'Change') { Invoke-ChangeCell $Cell $ctx $command } else { Invoke-ReadCell $Cell $ctx $command } }
            }
            $mark = if ($Cell.Outcome -eq 'Error') { "pass: error $($Cell.ErrorId)" } elseif ($Cell.WhatIfOnly) { 'pass (-WhatIf only)' } else { 'pass' }
            $Coverage[$key] = @{ Status = 'pass'; Mark = $mark; Detail = "$detail" }
        }
        catch {
            $Coverage[$key] = @{ Status = 'fail'; Detail = ("$_" -replace '\s+', ' ') }
            throw
        }
    }
}

AfterAll {
    foreach ($ctx in $Contexts.Values) {
        if ($ctx.T.Session -is [System.Management.Automation.Runspaces.PSSession]) { Remove-PSSession $ctx.T.Session }
        # The column's session and any a failed cell left open (sessions live as long as the process).
        if ($ctx.Column -in 'KvmTimeSession', 'Ssh', 'LabGuest') { Get-KvmTimeSession -ComputerName $ctx.ComputerName | Remove-KvmTimeSession }
    }
    if ($script:Sshd) { Stop-TestSshd $Sshd }
    Remove-Item -Recurse -Force $Work -ErrorAction Ignore
    $table = Format-MatrixTable $Coverage
    $results = Join-Path $PSScriptRoot '../../out/test-results'
    $null = New-Item -ItemType Directory -Force $results
    Set-Content -Path (Join-Path $results 'matrix.md') -Value $table
    $table | Out-Host
}

Describe 'The matrix has every cmdlet' -Tag 'Local' {
    It 'has a row for every exported cmdlet, and every row is an exported cmdlet' {
        $exported = @((Get-Module KvmTime).ExportedCmdlets.Keys | Sort-Object)
        $rows = @(Get-MatrixRow | ForEach-Object Cmdlet | Sort-Object -Unique)
        @($exported | Where-Object { $_ -notin $rows }) | Should -BeNullOrEmpty -Because 'every exported cmdlet needs a row in tests/pester/Matrix.psd1'
        @($rows | Where-Object { $_ -notin $exported }) | Should -BeNullOrEmpty -Because 'a row names an exported cmdlet'
    }

    It 'decides every cell: run it, expect a specific error ID, or not applicable with a reason' {
        foreach ($cell in Get-MatrixCell) {
            $cell.Kind | Should -BeIn 'Read', 'Change' -Because "$($cell.Name) needs a Kind"
            if ($cell.Outcome -eq 'NotApplicable') { "$($cell.NotApplicable)".Trim() | Should -Not -BeNullOrEmpty -Because "$($cell.Name) says why" }
            if ($cell.Outcome -eq 'Run') { $cell.Type | Should -Not -BeNullOrEmpty -Because "$($cell.Name) names its result type" }
            if ($cell.Outcome -eq 'Run' -and $cell.Kind -eq 'Change') { $cell.State | Should -Not -BeNullOrEmpty -Because "$($cell.Name) reads the state -WhatIf must leave alone" }
        }
    }
}

Describe 'Matrix: this machine, in-process' -Tag 'Local' {
    It '<Name>' -ForEach $LocalCells { Invoke-MatrixCell $Cell }
}

Describe 'Matrix: SSH, KvmTime sessions, PSSessions and the Windows fake (loopback sshd)' -Tag 'Ssh' {
    It '<Name>' -ForEach $SshCells { Invoke-MatrixCell $Cell }
}

Describe 'Matrix: the lab guest and the lab''s libvirt host' -Tag 'Lab' {
    It '<Name>' -ForEach $LabCells {
        if (-not $LabFixture -and $env:KVMTIME_LAB_SKIP) {
            $Coverage["$($Cell.Label)|$($Cell.Column)"] = @{ Status = 'not run'; Detail = "lab skipped: $env:KVMTIME_LAB_SKIP" }
            Set-ItResult -Skipped -Because "the lab is not running: $env:KVMTIME_LAB_SKIP"
            return
        }
        Invoke-MatrixCell $Cell
    }
}
