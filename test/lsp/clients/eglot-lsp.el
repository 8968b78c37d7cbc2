;;; eglot-lsp.el --- Emacs Eglot against the sptls server  -*- lexical-binding: t -*-
;; Opens SPTLS_FILE in a minimal `sptls-mode', connects Eglot to SPTLS_CMD, waits for
;; the diagnostics (through Flymake), asks for a hover at SPTLS_HOVER, a completion at
;; SPTLS_COMPLETE and the code actions on line SPTLS_ACTION_LINE (0-based), and writes
;; the results as JSON to SPTLS_REPORT. With SPTLS_STEP set it runs an sptls command as a
;; user would instead: "issue" takes the "Issue certificates" source action, "handshake"
;; the "Test handshake" code lens; either goes through workspace/executeCommand (what
;; `eglot-execute-command' sends) and the server's answer is reported.
;; Run with `emacs --batch -q -l eglot-lsp.el'
;; (-q, not -Q: Debian's site-start puts Eglot on the load path).
(require 'eglot)
(require 'json)
(require 'flymake)
(require 'cl-lib)

(define-derived-mode sptls-mode prog-mode "sptls" "Minimal mode for .sptls files.")

(defun sptls-test--env (name)
  (or (getenv name) (error "%s is not set" name)))

(defun sptls-test--position (json)
  "Move point to the LSP position JSON and return the LSP params for it."
  (let* ((pos (json-read-from-string json)))
    (goto-char (point-min))
    (forward-line (alist-get 'line pos))
    (forward-char (alist-get 'character pos))
    (eglot--TextDocumentPositionParams)))

(defun sptls-test--command (server step)
  "Run the sptls command of STEP through SERVER; its answer as an alist."
  (let ((command nil))
    (if (equal step "issue")
        (let ((zero (list :line 0 :character 0)))
          (mapc (lambda (a) (when (equal (plist-get a :title) "Issue certificates (sptls issue)")
                              (setq command (plist-get a :command))))
                (jsonrpc-request server :textDocument/codeAction
                                 (list :textDocument (eglot--TextDocumentIdentifier)
                                       :range (list :start zero :end zero)
                                       :context (list :diagnostics [] :only ["source"])))))
      (mapc (lambda (lens) (when (equal (plist-get (plist-get lens :command) :title) "Test handshake")
                             (setq command (plist-get lens :command))))
            (jsonrpc-request server :textDocument/codeLens (list :textDocument (eglot--TextDocumentIdentifier)))))
    (unless command (error "no action or lens for step %s" step))
    (let ((result (jsonrpc-request server :workspace/executeCommand
                                   (list :command (plist-get command :command) :arguments (plist-get command :arguments))
                                   :timeout 60)))
      (list (cons 'command (plist-get command :command))
            (cons 'result (list (cons 'ok (if (eq (plist-get result :ok) t) t :json-false))
                                (cons 'summary (plist-get result :summary))
                                (cons 'text (plist-get result :text))
                                (cons 'written (plist-get result :written))))))))

(cl-defun sptls-test--run ()
  (let* ((cmd (append (json-read-from-string (sptls-test--env "SPTLS_CMD")) nil))
         (report (list (cons 'client (format "emacs %s" emacs-version)))))
    (setq eglot-server-programs (list (cons 'sptls-mode cmd)))
    (find-file (sptls-test--env "SPTLS_FILE"))
    (sptls-mode)
    ;; eglot-ensure waits for a command loop that batch mode never runs: connect directly.
    (apply #'eglot (eglot--guess-contact))
    (let ((server (eglot-current-server)))
      (unless server (error "eglot did not connect"))
      (when (getenv "SPTLS_STEP")
        (setq report (sptls-test--command server (getenv "SPTLS_STEP")))
        (eglot-shutdown server)
        (cl-return-from sptls-test--run report))
      (with-timeout (15 (error "no diagnostics within 15 s"))
        (while (null (flymake-diagnostics))
          (accept-process-output nil 0.05)))
      (push (cons 'diagnostics
                  (vconcat (mapcar (lambda (d)
                                     (save-excursion
                                       (goto-char (flymake-diagnostic-beg d))
                                       (list (cons 'line (1- (line-number-at-pos)))
                                             (cons 'character (current-column))
                                             (cons 'type (format "%s" (flymake-diagnostic-type d)))
                                             (cons 'text (flymake-diagnostic-text d)))))
                                   (flymake-diagnostics))))
            report)
      (let ((hover (jsonrpc-request server :textDocument/hover (sptls-test--position (sptls-test--env "SPTLS_HOVER")))))
        (push (cons 'hover (or (plist-get (plist-get hover :contents) :value) "")) report))
      (let* ((result (jsonrpc-request server :textDocument/completion (sptls-test--position (sptls-test--env "SPTLS_COMPLETE"))))
             (items (if (vectorp result) result (plist-get result :items))))
        (push (cons 'completion (vconcat (mapcar (lambda (i) (plist-get i :label)) items))) report))
      (goto-char (point-min))
      (forward-line (string-to-number (sptls-test--env "SPTLS_ACTION_LINE")))
      (let* ((range (list :start (eglot--pos-to-lsp-position (line-beginning-position))
                          :end (eglot--pos-to-lsp-position (line-end-position))))
             (actions (jsonrpc-request server :textDocument/codeAction
                                       (list :textDocument (eglot--TextDocumentIdentifier)
                                             :range range
                                             :context (list :diagnostics [])))))
        (push (cons 'code_actions (vconcat (mapcar (lambda (a) (plist-get a :title)) actions))) report))
      (eglot-shutdown server))
    report))

(let ((out (or (getenv "SPTLS_REPORT") "eglot-report.json"))
      (status 0)
      report)
  (condition-case err
      (setq report (sptls-test--run))
    (error (setq status 1)
           (setq report (list (cons 'error (error-message-string err))))))
  (with-temp-file out (insert (json-encode report)))
  (kill-emacs status))
