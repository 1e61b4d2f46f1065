// SPDX-License-Identifier: GPL-2.0
/*
 * The interactive screen: ncurses draws the lines view.c makes, keys
 * change the view, and the terminal is given back on q and on signals.
 */
#include <curses.h>
#include <errno.h>
#include <signal.h>
#include <stdlib.h>
#include <string.h>

#include "measure.h"
#include "pcbtop.h"

enum {
	PAIR_RUN = 1,
	PAIR_READY,
	PAIR_BLOCKED
};

static volatile sig_atomic_t stop_signal;

static void on_signal(int sig)
{
	stop_signal = sig;
}

/* No SA_RESTART: a signal ends the wait in getch() at once. */
static void catch_signals(void)
{
	static const int sigs[] = { SIGINT, SIGTERM, SIGHUP, SIGQUIT };
	struct sigaction sa = { .sa_handler = on_signal };
	size_t i;

	for (i = 0; i < sizeof(sigs) / sizeof(sigs[0]); i++)
		sigaction(sigs[i], &sa, NULL);
}

static void restore_terminal(void)
{
	if (!isendwin())
		endwin();
}

static void start_screen(void)
{
	initscr();
	atexit(restore_terminal);
	cbreak();
	noecho();
	keypad(stdscr, TRUE);
	set_escdelay(25);
	curs_set(0);
	if (has_colors()) {
		start_color();
		use_default_colors();
		init_pair(PAIR_RUN, COLOR_GREEN, -1);
		init_pair(PAIR_READY, COLOR_RED, -1);
		init_pair(PAIR_BLOCKED, COLOR_BLUE, -1);
	}
}

static int bar_pair(char c)
{
	return c == '#' ? PAIR_RUN : c == '+' ? PAIR_READY : PAIR_BLOCKED;
}

static void screen_line(void *ctx, int y, const char *text, enum line_kind kind,
			int bar_at, const char *bar)
{
	int i, attr = kind == LINE_TITLE      ? A_REVERSE
		      : kind == LINE_SELECTED ? A_BOLD | A_UNDERLINE
					      : A_NORMAL;

	if (y >= LINES - 1) /* the last line is the key help */
		return;
	attron(attr);
	mvaddnstr(y, 0, text, COLS);
	if (kind == LINE_TITLE)
		for (i = strlen(text); i < COLS; i++)
			addch(' ');
	attroff(attr);
	if (bar_at < 0 || !bar || !has_colors())
		return;
	for (i = 0; bar[i] && bar_at + i < COLS; i++)
		if (bar[i] != ' ')
			mvaddch(y, bar_at + i,
				bar[i] | COLOR_PAIR(bar_pair(bar[i])));
}

/* The frame as the view wants it: filtered and sorted, a copy. */
static int view_of(const struct frame *full, const struct view *v,
		   struct frame *shown)
{
	*shown = *full;
	shown->rows = malloc((full->nrows + 1) * sizeof(*full->rows));
	if (!shown->rows)
		return -ENOMEM;
	memcpy(shown->rows, full->rows, full->nrows * sizeof(*full->rows));
	frame_filter(shown, v);
	frame_sort(shown, v);
	return 0;
}

static const char *help_line(const struct view *v)
{
	if (v->detail_pid)
		return " Esc back  q quit";
	if (v->exited)
		return " x processes  Esc back  q quit";
	return " q quit  < > s sort  r reverse  / filter  H threads  "
	       "Enter detail  x exited";
}

static void draw(struct monitor *m, const struct frame *full, struct view *v)
{
	struct frame shown;
	int body;

	if (view_of(full, v, &shown))
		return;
	/* Keep the selection on screen and inside the rows. */
	body = LINES - 1 - 6;
	if (v->selected >= shown.nrows && shown.nrows)
		v->selected = shown.nrows - 1;
	if (v->selected < v->first)
		v->first = v->selected;
	if (body > 0 && v->selected >= v->first + body)
		v->first = v->selected - body + 1;
	erase();
	screen_render(m, &shown, v, COLS, LINES - 1, screen_line, NULL);
	attron(A_REVERSE);
	mvaddnstr(LINES - 1, 0, help_line(v), COLS);
	attroff(A_REVERSE);
	refresh();
	free(shown.rows);
}

/* A line typed on the last row; false if cancelled with Esc. */
static bool prompt(const char *what, char *buf, int size)
{
	int c, n = 0;

	buf[0] = '\0';
	timeout(-1);
	curs_set(1);
	for (;;) {
		move(LINES - 1, 0);
		clrtoeol();
		attron(A_BOLD);
		mvprintw(LINES - 1, 0, "%s: %s", what, buf);
		attroff(A_BOLD);
		refresh();
		c = getch();
		if (stop_signal || c == 27) {
			curs_set(0);
			return false;
		}
		if (c == '\n' || c == KEY_ENTER)
			break;
		if ((c == KEY_BACKSPACE || c == 127 || c == 8) && n)
			buf[--n] = '\0';
		else if (c >= 32 && c < 127 && n < size - 1) {
			buf[n++] = c;
			buf[n] = '\0';
		}
	}
	curs_set(0);
	return true;
}

static int selected_pid(const struct frame *full, const struct view *v)
{
	struct frame shown;
	int pid = 0;

	if (view_of(full, v, &shown))
		return 0;
	if (v->selected < shown.nrows)
		pid = shown.rows[v->selected].t.tid;
	free(shown.rows);
	return pid;
}

static void next_sort(struct view *v, int step)
{
	do
		v->sort = (v->sort + C_NR + step) % C_NR;
	while (v->sort == C_BAR);
}

enum key_effect {
	KEY_REDRAW,
	KEY_RESAMPLE,
	KEY_EXITED,
	KEY_QUIT
};

static enum key_effect on_key(int c, const struct frame *full, struct view *v)
{
	char buf[32];

	switch (c) {
	case 'q':
	case 'Q':
		return KEY_QUIT;
	case '<':
		next_sort(v, -1);
		break;
	case '>':
	case 's':
	case KEY_F(6):
		next_sort(v, 1);
		break;
	case 'r':
		v->reverse = !v->reverse;
		break;
	case '/':
		if (prompt("filter (command or user, empty clears)", v->filter,
			   sizeof(v->filter)))
			v->selected = v->first = 0;
		break;
	case 'H':
		v->threads = !v->threads;
		return KEY_RESAMPLE;
	case 'x':
		v->exited = !v->exited;
		v->detail_pid = 0;
		return KEY_EXITED;
	case '\n':
	case KEY_ENTER:
		v->detail_pid = selected_pid(full, v);
		return KEY_EXITED;
	case 'p':
		if (prompt("pid", buf, sizeof(buf)) && atoi(buf) > 0) {
			v->detail_pid = atoi(buf);
			return KEY_EXITED;
		}
		break;
	case 27:
	case KEY_LEFT:
	case KEY_BACKSPACE:
		v->detail_pid = 0;
		v->exited = false;
		break;
	case KEY_UP:
		v->selected -= v->selected > 0;
		break;
	case KEY_DOWN:
		v->selected++;
		break;
	case KEY_PPAGE:
		v->selected = v->selected > 10 ? v->selected - 10 : 0;
		break;
	case KEY_NPAGE:
		v->selected += 10;
		break;
	}
	return KEY_REDRAW;
}

int screen_run(struct monitor *m, double interval, struct view *v)
{
	uint64_t step = (uint64_t)(interval * 1e9), next;
	struct frame full;
	int err, c;

	catch_signals();
	err = monitor_next(m, v, &full);
	if (err)
		return err;
	start_screen();
	next = now_ns() + step;
	draw(m, &full, v);
	while (!stop_signal) {
		uint64_t now = now_ns();
		enum key_effect e = KEY_REDRAW;

		if (now >= next) {
			frame_free(&full);
			err = monitor_next(m, v, &full);
			if (err)
				break;
			next += step;
			if (next <= now)
				next = now + step;
			draw(m, &full, v);
			/*
			 * A frame may take longer than the delay on a busy
			 * CPU; sampling again at once would leave the keys
			 * unread for as long as that lasts. Look for one
			 * first, without waiting if the next frame is due.
			 */
			now = now_ns();
		}
		timeout(next > now ? (int)((next - now) / 1000000) + 1 : 0);
		c = getch();
		if (c == ERR)
			continue;
		if (c != KEY_RESIZE)
			e = on_key(c, &full, v);
		if (e == KEY_QUIT)
			break;
		/* The exited ring is read only while a view shows it. */
		if (e == KEY_EXITED) {
			snapshot_free(&full.exited);
			snapshot_exited(m->dev, &full.exited);
		}
		if (e == KEY_RESAMPLE) {
			frame_free(&full);
			err = monitor_next(m, v, &full);
			if (err)
				break;
		}
		draw(m, &full, v);
	}
	restore_terminal();
	if (!err)
		frame_free(&full);
	if (stop_signal) {
		/* Die of the signal, as if pcbtop had not caught it. */
		signal(stop_signal, SIG_DFL);
		raise(stop_signal);
	}
	return err;
}
